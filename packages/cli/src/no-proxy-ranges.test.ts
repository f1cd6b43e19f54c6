import { describe, expect, it } from "vitest";
import { noProxyRanges } from "./no-proxy-ranges.js";

describe("noProxyRanges", () => {
  it("matches addresses in the ranges NO_PROXY names, IPv4 and IPv6, bracketed or not", () => {
    const direct = noProxyRanges("localhost, 10.0.0.0/8 .corp.example,fd00::/8 [2001:db8::]/32");
    expect(direct?.("10.1.2.3")).toBe(true);
    expect(direct?.("11.0.0.1")).toBe(false);
    expect(direct?.("[fd12::1]")).toBe(true);
    expect(direct?.("fd12::1")).toBe(true);
    expect(direct?.("[2001:db8:1::5]")).toBe(true);
    expect(direct?.("[fe80::1]")).toBe(false);
  });

  it("never resolves or matches a host name, as curl does not", () => {
    expect(noProxyRanges("0.0.0.0/0")?.("api.flashcat.cloud")).toBe(false);
    expect(noProxyRanges("0.0.0.0/0")?.("127.0.0.1")).toBe(true);
  });

  it("is nothing without a range, and leaves entries that are no range to undici", () => {
    expect(noProxyRanges("")).toBeUndefined();
    expect(noProxyRanges("localhost,127.0.0.1,.example.com,*")).toBeUndefined();
    for (const entry of [
      "10.0.0.0/33",
      "host/8",
      "10.0.0.0/",
      "10.0.0.0/-1",
      "10.0.0.0/8x",
      "::/129",
      "/8",
    ]) {
      expect(noProxyRanges(entry), entry).toBeUndefined();
    }
  });
});
