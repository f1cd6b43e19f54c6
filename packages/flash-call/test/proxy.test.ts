import { startMockServer } from "@flash-call/testing";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { describe, expect, test } from "vitest";
import { proxyUnavailableReason, startProxyServer } from "../../../test-support/proxy-server.js";
import { createFlashCall } from "../src/flash-call.js";

const unavailable = proxyUnavailableReason();
if (unavailable && process.env.CI) throw new Error(`the proxy test must run in CI: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(
  `through a real proxy (tinyproxy)${unavailable ? `: skipped, ${unavailable}` : ""}`,
  () => {
    test("the README recipe: undici's EnvHttpProxyAgent with undici's fetch", async () => {
      const mock = await startMockServer({ rateLimit: false });
      const proxy = await startProxyServer();
      try {
        // What users write (the README's "Proxies" recipe), with the proxy given explicitly for the test.
        const dispatcher = new EnvHttpProxyAgent({
          httpProxy: proxy.url,
          httpsProxy: proxy.url,
          noProxy: "",
        });
        const flashduty = createFlashCall({
          pushUrl: mock.pushUrl,
          fetch: ((input, init) =>
            undiciFetch(input as string, { ...init, dispatcher } as never)) as typeof fetch,
        });
        const result = await flashduty.push({ title_rule: "via proxy", event_status: "Info" });
        expect(mock.events[0]).toMatchObject({ title_rule: "via proxy", alert_key: result.data.alert_key });
        // The proxy really forwarded it (tinyproxy logs each request it relays) …
        expect(proxy.log()).toMatch(/127\.0\.0\.1/);
        // … and the proxy's log does not show the key? It does: a forward proxy sees the URL. Users must trust it.
        await dispatcher.close();
      } finally {
        await proxy.close();
        await mock.close();
      }
    });

    test("NO_PROXY bypasses the proxy", async () => {
      const mock = await startMockServer({ rateLimit: false });
      const proxy = await startProxyServer();
      try {
        const dispatcher = new EnvHttpProxyAgent({ httpProxy: proxy.url, noProxy: "127.0.0.1" });
        const flashduty = createFlashCall({
          pushUrl: mock.pushUrl,
          fetch: ((input, init) =>
            undiciFetch(input as string, { ...init, dispatcher } as never)) as typeof fetch,
        });
        await flashduty.push({ title_rule: "direct", event_status: "Info" });
        expect(mock.events).toHaveLength(1);
        expect(proxy.log()).not.toMatch(/Request \(file descriptor/);
        await dispatcher.close();
      } finally {
        await proxy.close();
        await mock.close();
      }
    });
  },
);
