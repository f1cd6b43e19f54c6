import { describe, expect, it } from "vitest";
import { proxyRefusal } from "./proxy-refusal.js";

/** The shape undici's fetch rejects with when the proxy refuses the CONNECT. */
function undiciRefusal(status: number): TypeError {
  const refused = new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`);
  return new TypeError("fetch failed", { cause: new Error("Request was cancelled.", { cause: refused }) });
}

describe("proxyRefusal", () => {
  it("a 407 asks for the proxy's credentials; any other status names the proxy", () => {
    expect(proxyRefusal(undiciRefusal(407))?.cause).toMatchObject({
      message: expect.stringMatching(/^the proxy answered HTTP 407 \(Proxy Authentication Required\): check/),
    });
    expect(proxyRefusal(undiciRefusal(502))?.cause).toMatchObject({
      message:
        "the proxy answered HTTP 502 instead of opening the tunnel: check the proxy and the proxy variable",
    });
  });

  it("anything else is not one: undefined", () => {
    expect(proxyRefusal(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toBeUndefined();
    expect(proxyRefusal(null)).toBeUndefined();
    expect(proxyRefusal("Proxy response (407) !== 200 when HTTP Tunneling")).toBeUndefined();
    const hostile = {
      get message(): string {
        throw new Error("no");
      },
    };
    expect(proxyRefusal(hostile)).toBeUndefined();
  });
});
