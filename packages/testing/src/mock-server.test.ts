import { request as httpRequest } from "node:http";
import { PUSH_PATH } from "@flash-call/core";
import { ERROR_CODE_LIST, ERROR_STATUS } from "@flash-call/core/constants";
import { maskKey } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { type MockServer, type MockServerOptions, startMockServer } from "./mock-server.js";

const event = { title_rule: "disk full", event_status: "Critical" };
const servers: MockServer[] = [];

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("startMockServer (real HTTP on 127.0.0.1)", () => {
  test("listens on 127.0.0.1 and gives a push URL with a generated key", async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrl).toBe(server.url);
    expect(server.integrationKey).toMatch(/^[0-9a-f]{32}$/);
    expect(server.pushUrl).toBe(`${server.url}${PUSH_PATH}?integration_key=${server.integrationKey}`);
  });

  test("accepts an event and records it (masked, never the raw key)", async () => {
    const server = await start();
    const seen: string[] = [];
    server.onEvent((received) => seen.push(received.alert_key));
    const response = await post(server.pushUrl, { ...event, alert_key: "a-1" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { request_id: string; data: { alert_key: string } };
    expect(body).toEqual({ request_id: expect.stringMatching(/^[0-9a-f]{32}$/), data: { alert_key: "a-1" } });
    expect(server.events).toMatchObject([{ ...event, alert_key: "a-1", request_id: body.request_id }]);
    expect(server.events[0]?.integration).toBe(maskKey(server.integrationKey));
    expect(server.alerts.get("a-1")?.status).toBe("open");
    expect(seen).toEqual(["a-1"]);
    expect(JSON.stringify([server.events, server.requests])).not.toContain(server.integrationKey);
  });

  test("alert lifecycle over HTTP: generated key, then resolve with it", async () => {
    const server = await start();
    const fired = (await (await post(server.pushUrl, event)).json()) as { data: { alert_key: string } };
    expect(fired.data.alert_key).toMatch(/^[0-9A-Za-z]{22}$/);
    const resolved = await post(server.pushUrl, {
      ...event,
      event_status: "Ok",
      alert_key: fired.data.alert_key,
    });
    expect(resolved.status).toBe(200);
    expect(server.alerts.get(fired.data.alert_key)).toMatchObject({ status: "resolved" });
  });

  test("every natural error over HTTP", async () => {
    const server = await start({ integrationKeys: ["the-only-valid-key"] });
    const push = `${server.url}${PUSH_PATH}?integration_key=the-only-valid-key`;
    const cases: [Promise<Response>, number, string][] = [
      [fetch(push), 400, "MethodNotAllowed"],
      [post(`${server.url}/nope?integration_key=the-only-valid-key`, event), 404, "RouteNotFound"],
      [post(push, event, { "content-type": "text/plain" }), 400, "InvalidContentType"],
      [post(`${server.url}${PUSH_PATH}?integration_key=wrong-key-123`, event), 400, "InvalidParameter"],
      [post(`${server.url}${PUSH_PATH}`, event), 400, "InvalidParameter"],
      [post(push, { title_rule: "t", event_status: "Ok" }), 400, "InvalidParameter"],
      [post(push, "{not json"), 400, "InvalidParameter"],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      expect([response.status, ((await response.json()) as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
    expect(server.requests.map((recorded) => recorded.code)).toEqual(cases.map(([, , code]) => code));
    expect(server.events).toEqual([]);
  });

  test("rate limit over HTTP, with a controlled clock", async () => {
    const server = await start({ now: () => 0, rateLimit: { perSecond: 1 } });
    expect((await post(server.pushUrl, event)).status).toBe(200);
    const limited = await post(server.pushUrl, event);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
  });

  test.each(ERROR_CODE_LIST)("failNext(%s) over HTTP", async (code) => {
    const server = await start();
    server.failNext(code);
    const response = await post(server.pushUrl, event);
    expect(response.status).toBe(ERROR_STATUS[code]);
    expect(await response.json()).toMatchObject({ request_id: expect.any(String), error: { code } });
  });

  test("reset really destroys the connection: fetch rejects", async () => {
    const server = await start();
    server.failNext({ kind: "reset" });
    await expect(post(server.pushUrl, event)).rejects.toThrow(TypeError);
    expect((await post(server.pushUrl, event)).status).toBe(200);
  });

  test("reset on a raw socket: the client sees ECONNRESET or a hang-up", async () => {
    const server = await start();
    server.failNext({ kind: "reset" });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const outgoing = httpRequest(server.pushUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      outgoing.on("error", resolve);
      outgoing.on("response", () => resolve(new Error("answered")));
      outgoing.end(JSON.stringify(event));
    });
    expect(error.code).toMatch(/ECONNRESET|ECONNABORTED|EPIPE/);
  });

  test("html, truncated and error-in-200 over HTTP", async () => {
    const server = await start();
    server.failNext([{ kind: "html" }, { kind: "truncated" }, { kind: "error-in-200", code: "NoLicense" }]);
    const html = await post(server.pushUrl, event);
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html"]);
    expect(await html.text()).toContain("<html>");
    const truncated = await post(server.pushUrl, event);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow(SyntaxError);
    const errorIn200 = await post(server.pushUrl, event);
    expect(errorIn200.status).toBe(200);
    expect(await errorIn200.json()).toMatchObject({ error: { code: "NoLicense" } });
  });

  test("delay waits, then answers normally", async () => {
    const server = await start();
    server.failNext({ kind: "delay", ms: 150 });
    const started = performance.now();
    const response = await post(server.pushUrl, event);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.events).toHaveLength(1);
  });

  test("a client that gives up during a delay is not waited for", async () => {
    const server = await start();
    server.failNext({ kind: "delay", ms: 60_000 });
    await expect(
      fetch(server.pushUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await expect.poll(() => server.requests[0]?.status).toBe(0);
    expect(server.events).toEqual([]);
  });

  test("close() ends pending delays and keep-alive connections promptly", async () => {
    const server = await start();
    expect((await post(server.pushUrl, event)).status).toBe(200); // leaves a keep-alive socket open
    server.failNext({ kind: "delay", ms: 60_000 });
    const pending = post(server.pushUrl, event).then(
      () => "answered",
      () => "failed",
    );
    await expect.poll(() => server.requests.length).toBe(1);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe("failed");
    await expect(post(server.pushUrl, event)).rejects.toThrow();
    await server.close(); // idempotent
  });

  test("reset() clears state but keeps serving", async () => {
    const server = await start();
    await post(server.pushUrl, event);
    server.reset();
    expect([server.events.length, server.requests.length, server.alerts.size]).toEqual([0, 0, 0]);
    expect((await post(server.pushUrl, event)).status).toBe(200);
  });

  test("uses the first configured key and a chosen port", async () => {
    const probe = await start();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const server = await start({ port, integrationKeys: ["configured-key-1", "configured-key-2"] });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(server.integrationKey).toBe("configured-key-1");
  });
});
