import { describe, expect, test } from "vitest";
import { holdsKey } from "./key-in-url.js";

const KEY = "Kq7ZxJ2m9VbW4nPc";

describe("holdsKey", () => {
  test.each([
    ["the key itself", `https://gw.example/${KEY}/fd`],
    ["a piece of 8, in another case", `https://gw.example/${KEY.slice(5, 13).toUpperCase()}`],
    [
      "percent-encoded",
      `https://gw.example/${[...KEY].map((unit) => `%${unit.charCodeAt(0).toString(16)}`).join("")}`,
    ],
    ["in the host", `https://${KEY.toLowerCase()}.gw.example`],
  ])("finds %s", (_, url) => {
    expect(holdsKey(url, KEY)).toBe(true);
  });

  test.each([
    ["a URL with no 8 characters of it", "https://api.flashcat.cloud/fd"],
    ["7 characters of it", `https://gw.example/${KEY.slice(0, 7)}/x`],
    ["a stray % (no escape)", "https://gw.example/100%/x"],
  ])("does not find it in %s", (_, url) => {
    expect(holdsKey(url, KEY)).toBe(false);
  });

  test("a key under 8 characters is never looked for", () => {
    expect(holdsKey("https://gw.example/alerts", "alerts")).toBe(false);
  });

  test("a 4096-character URL against a 256-character key is read once, not once per piece", () => {
    const key = `${"k".repeat(255)}Z`;
    // Every window of the URL is a near miss of the key's: a scan per piece would compare each of them 249 times.
    expect(holdsKey(`https://gw.example/${"k".repeat(7)}x`.repeat(500).slice(0, 4096), key)).toBe(false);
    expect(holdsKey(`https://gw.example/${"k".repeat(8)}`, key)).toBe(true);
  });
});
