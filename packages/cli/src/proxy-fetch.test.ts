import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { proxyFetch } from "./proxy-fetch.js";

afterEach(() => {
  vi.doUnmock("undici");
  vi.resetModules();
});

/**
 * A forward proxy that takes the CONNECT undici sends (for http: destinations too) and answers the request
 * sent through the tunnel itself; `first` is the CONNECT it got.
 */
async function answeringProxy() {
  let received: (request: IncomingMessage) => void = () => undefined;
  const first = new Promise<IncomingMessage>((resolve) => {
    received = resolve;
  });
  const server = createServer();
  server.on("connect", (request: IncomingMessage, socket: Duplex) => {
    received(request);
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    socket.once("data", () =>
      socket.end(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{"ok":true}',
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    first,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe("proxyFetch", () => {
  it("is undefined without a proxy, so undici is not loaded", async () => {
    expect(await proxyFetch({ NO_PROXY: "*" })).toBeUndefined();
  });

  it("is a fetch function with a proxy", async () => {
    expect(typeof (await proxyFetch({ HTTPS_PROXY: "http://127.0.0.1:9" }))).toBe("function");
  });

  it("sends through a proxy given as host:port with a path, as curl would", async () => {
    const proxy = await answeringProxy();
    try {
      const fetch = await proxyFetch({ HTTP_PROXY: `127.0.0.1:${proxy.port}/proxy` });
      const response = await fetch?.("http://flashduty.invalid/event/push/alert/standard", {
        method: "POST",
      });
      expect(await response?.json()).toEqual({ ok: true });
      // The proxy was asked for the destination: its own path played no part.
      const connect = await proxy.first;
      expect([connect.method, connect.url]).toEqual(["CONNECT", "flashduty.invalid:80"]);
    } finally {
      proxy.close();
    }
  });

  it("refuses a proxy it cannot use with a ConfigError naming the variable, before anything is sent", async () => {
    await expect(proxyFetch({ https_proxy: "proxy.corp.example" })).rejects.toMatchObject({
      code: "ConfigError",
      message: expect.stringMatching(/^https_proxy has neither a scheme nor a port/),
    });
  });

  it("turns a failure to make the proxy agent into a rejected request, which the SDK reports as a network error", async () => {
    vi.doMock("undici", () => ({
      EnvHttpProxyAgent: class {
        constructor() {
          throw new TypeError("the agent refused its options");
        }
      },
    }));
    const { proxyFetch: proxyFetchOverBrokenUndici } = await import("./proxy-fetch.js");
    const fetch = await proxyFetchOverBrokenUndici({ HTTPS_PROXY: "http://127.0.0.1:9" });
    await expect(fetch?.("https://flashduty.invalid/")).rejects.toThrow("the agent refused its options");
  });
});
