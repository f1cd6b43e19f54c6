import { describe, expect, it } from "vitest";
import { proxyFetch, proxyFromEnvironment } from "./proxy-fetch.js";

describe("proxyFromEnvironment", () => {
  it("finds HTTPS_PROXY / HTTP_PROXY in either case, HTTPS first", () => {
    expect(proxyFromEnvironment({})).toBeUndefined();
    expect(proxyFromEnvironment({ HTTP_PROXY: " " })).toBeUndefined();
    expect(proxyFromEnvironment({ http_proxy: "http://a:1" })).toBe("http://a:1");
    expect(proxyFromEnvironment({ HTTP_PROXY: "http://a:1", https_proxy: "http://b:2" })).toBe("http://b:2");
  });
});

describe("proxyFetch", () => {
  it("is undefined without a proxy, so undici is not loaded", async () => {
    expect(await proxyFetch({ NO_PROXY: "*" })).toBeUndefined();
  });
  it("is a fetch function with a proxy", async () => {
    expect(typeof (await proxyFetch({ HTTPS_PROXY: "http://127.0.0.1:9" }))).toBe("function");
  });
});
