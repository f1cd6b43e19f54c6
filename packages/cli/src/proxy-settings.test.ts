import { FlashdutyConfigError } from "@flash-call/errors";
import { describe, expect, it } from "vitest";
import { proxySettings, proxyUrl } from "./proxy-settings.js";

/** The error `proxyUrl` throws for `value` in `name`. */
function refusal(name: string, value: string): FlashdutyConfigError {
  try {
    proxyUrl(name, value);
  } catch (error) {
    if (FlashdutyConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`${name}=${value} was accepted`);
}

describe("proxyUrl", () => {
  it("reads host:port without a scheme as http://host:port, as curl does", () => {
    expect(proxyUrl("HTTPS_PROXY", "proxy.corp.example:3128")).toBe("http://proxy.corp.example:3128/");
    expect(proxyUrl("HTTPS_PROXY", "user:pass@proxy:3128")).toBe("http://user:pass@proxy:3128/");
    expect(proxyUrl("HTTPS_PROXY", "[::1]:3128")).toBe("http://[::1]:3128/");
  });

  it("ignores a path, query or fragment, as curl does: a proxy is reached at its host and port", () => {
    expect(proxyUrl("HTTP_PROXY", "http://127.0.0.1:3128/proxy?a=1#b")).toBe("http://127.0.0.1:3128/");
    expect(proxyUrl("HTTP_PROXY", "127.0.0.1:3128/proxy")).toBe("http://127.0.0.1:3128/");
  });

  it("keeps what a valid proxy URL already said: scheme, credentials, default port", () => {
    expect(proxyUrl("HTTP_PROXY", "http://proxy")).toBe("http://proxy/");
    expect(proxyUrl("HTTP_PROXY", "https://u:p@proxy:8443")).toBe("https://u:p@proxy:8443/");
    expect(proxyUrl("HTTP_PROXY", "socks5://proxy:1080")).toBe("socks5://proxy:1080");
  });

  it.each([
    ["proxy.corp.example", /neither a scheme nor a port/],
    ["ftp://proxy:21", /scheme ftp:/],
    ["socks4://proxy:1080", /scheme socks4:/],
    ["http://", /not a URL/],
    ["proxy:99999", /not a URL/],
    ["http://alice:50%off@proxy:3128", /password with a % not followed by two hex digits/],
    ["http://al%ice:pw@proxy:3128", /user name or password with a %/],
  ])("refuses %s with a ConfigError naming the variable", (value, why) => {
    const error = refusal("https_proxy", value);
    expect(error.code).toBe("ConfigError");
    expect(error.message).toMatch(/^https_proxy /);
    expect(error.message).toMatch(why);
  });

  it("never quotes the value: it may hold a password", () => {
    for (const value of [
      "ftp://alice:s3cr3t-pw@proxy:21/x",
      "alice:s3cr3t-pw@proxy",
      "http://alice:s3cr3t-pw@",
      "http://alice:s3cr3t-pw%@proxy:3128",
    ]) {
      const error = refusal("HTTPS_PROXY", value);
      expect(error.message).not.toContain("s3cr3t-pw");
      expect(error.message).not.toContain("alice");
    }
  });
});

describe("proxySettings", () => {
  it("is undefined without a proxy, blank variables counting as unset", () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ NO_PROXY: "*" })).toBeUndefined();
    expect(proxySettings({ HTTP_PROXY: " ", https_proxy: "" })).toBeUndefined();
  });

  it("reads each scheme's variable lower case first, and NO_PROXY, from the environment it is given", () => {
    expect(
      proxySettings({
        http_proxy: "http://a:1",
        HTTP_PROXY: "http://b:2",
        HTTPS_PROXY: "c:3",
        no_proxy: "",
        NO_PROXY: "localhost,.internal",
      }),
    ).toEqual({ httpProxy: "http://a:1/", httpsProxy: "http://c:3/", noProxy: "localhost,.internal" });
    // A blank lower-case variable does not hide the upper-case one (undici alone would go direct).
    expect(proxySettings({ https_proxy: "", HTTPS_PROXY: "http://p:3128" })).toEqual({
      httpProxy: "",
      httpsProxy: "http://p:3128/",
      noProxy: "",
    });
  });

  it("names the variable it read when that one cannot be used, even if the destination would not use it", () => {
    expect(() => proxySettings({ HTTPS_PROXY: "http://p:3128", http_proxy: "gopher://p:70" })).toThrow(
      /^http_proxy names the scheme gopher:/,
    );
  });
});
