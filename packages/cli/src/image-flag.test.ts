import { describe, expect, it } from "vitest";
import { parseImageFlag } from "./image-flag.js";

describe("parseImageFlag", () => {
  it("reads src, alt and href", () => {
    expect(parseImageFlag("https://x/a.png,CPU,https://g/d?a=1,b=2")).toEqual({
      src: "https://x/a.png",
      alt: "CPU",
      href: "https://g/d?a=1,b=2",
    });
  });
  it("reads src alone and src with alt", () => {
    expect(parseImageFlag("https://x/a.png")).toEqual({ src: "https://x/a.png" });
    expect(parseImageFlag("key123,Disk")).toEqual({ src: "key123", alt: "Disk" });
  });
  it("skips empty alt but keeps href", () => {
    expect(parseImageFlag("s,,https://h")).toEqual({ src: "s", href: "https://h" });
  });
  it("rejects an empty src", () => {
    expect(() => parseImageFlag(",alt")).toThrow(/src/);
  });
});
