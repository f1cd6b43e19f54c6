import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { PUSH_PATH } from "@flash-call/core";
import { ERROR_CODE_LIST, ERROR_STATUS } from "@flash-call/core/constants";
import { maskKey } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { type MockServer, type MockServerOptions, startMockServer } from "./mock-server.js";
import { MAX_REQUEST_BODY_BYTES } from "./node-bridge.js";

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

  test("answers framed with a Content-Length, as Flashduty's server does, for successes and errors alike", async () => {
    const server = await start();
    for (const [url, body] of [
      [server.pushUrl, event],
      [`${server.url}${PUSH_PATH}?integration_key=wrong-key-123`, event],
    ] as const) {
      const response = await post(url, body);
      const text = await response.text();
      expect(response.headers.get("transfer-encoding")).toBeNull();
      expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    }
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

  test("cut-body: the head announces the whole body, the connection dies after half of it", async () => {
    const server = await start();
    server.failNext([{ kind: "cut-body" }, { kind: "cut-body" }]);
    const cut = await post(server.pushUrl, event);
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow(TypeError);
    // On the wire: a Content-Length, fewer bytes than it announces, then the end of the connection.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
      let received = "";
      socket.on("data", (bytes) => {
        received += bytes.toString("latin1");
      });
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      const body = JSON.stringify(event);
      const target = new URL(server.pushUrl);
      socket.write(
        `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
    const [head = "", received = ""] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const announced = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
    expect(received.length).toBe(Math.floor(announced / 2));
    expect(server.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, "cut-body"],
      [200, "cut-body"],
    ]);
    expect((await post(server.pushUrl, event)).status).toBe(200);
    expect(server.events).toHaveLength(1);
  });

  test("stalled-body: half a body, then nothing until the client gives up", async () => {
    const server = await start();
    server.failNext({ kind: "stalled-body" });
    const controller = new AbortController();
    const stalled = await fetch(server.pushUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
      signal: controller.signal,
    });
    expect(stalled.status).toBe(200);
    const reader = (stalled.body as ReadableStream<Uint8Array>).getReader();
    const half = await reader.read();
    expect(new TextDecoder().decode(half.value).startsWith('{"request_id":"')).toBe(true);
    const rest = reader.read();
    controller.abort();
    await expect(rest).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({ status: 200, fault: "stalled-body" });
    expect((await post(server.pushUrl, event)).status).toBe(200);
  });

  test("close() ends a stalled body promptly", async () => {
    const server = await start();
    server.failNext({ kind: "stalled-body" });
    const stalled = await post(server.pushUrl, event);
    const reader = (stalled.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    const rest = reader.read();
    await server.close();
    await expect(rest).rejects.toThrow(TypeError);
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

  test("a body over MAX_REQUEST_BODY_BYTES is answered 413 without being read whole, and the server keeps serving", async () => {
    const server = await start();
    const url = new URL(server.pushUrl);
    const before = process.memoryUsage().rss;
    // 64 MiB streamed in 1 MiB pieces, no Content-Length: the server must stop at its limit, not buffer it all.
    const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const client = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: "POST" },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => {
            body += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode, body }));
        },
      );
      client.on("error", reject);
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const write = () => {
        while (sent < 64) {
          sent++;
          if (!client.write(piece)) return void client.once("drain", write);
        }
        client.end();
      };
      client.on("response", () => {
        sent = 64;
      });
      write();
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain(String(MAX_REQUEST_BODY_BYTES));
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    const declared = await post(server.pushUrl, "x".repeat(MAX_REQUEST_BODY_BYTES + 1));
    expect(declared.status).toBe(413);
    expect((await post(server.pushUrl, event)).status).toBe(200);
    expect(server.events).toHaveLength(1);
    // Both refusals are recorded, without their bodies or the key, so a user can see why the push was refused.
    const refused = { method: "POST", path: PUSH_PATH, status: 413, request_id: "" };
    const message = `request body over ${MAX_REQUEST_BODY_BYTES} bytes`;
    expect(server.requests.slice(0, 2)).toEqual([
      { ...refused, message, received_at: expect.any(Number) },
      { ...refused, message, received_at: expect.any(Number) },
    ]);
    expect(JSON.stringify(server.requests)).not.toContain(server.integrationKey);
  });

  test("TRACE, which a fetch Request cannot carry, is answered and recorded as Flashduty answers any other method", async () => {
    const server = await start();
    const ask = async (method: string, path: string) => {
      const answer = await exchange(
        server.url,
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      return { status: answer.split(" ")[1], body: JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) };
    };
    expect(await ask("TRACE", PUSH_PATH)).toEqual({
      status: "400",
      body: {
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        error: { code: "MethodNotAllowed", message: "method TRACE not allowed" },
      },
    });
    expect((await ask("TRACE", "/elsewhere")).body.error.code).toBe("RouteNotFound");
    expect(server.requests.map((recorded) => [recorded.method, recorded.code])).toEqual([
      ["TRACE", "MethodNotAllowed"],
      ["TRACE", "RouteNotFound"],
    ]);
  });

  test("an answer lists at most 20 issues, however many the body has", async () => {
    const server = await start();
    const images = Array.from({ length: 1000 }, () => 1);
    const answer = (await (await post(server.pushUrl, { ...event, images })).json()) as {
      error: { message: string };
    };
    expect(answer.error.message.split("; ")).toHaveLength(21);
    expect(answer.error.message.endsWith("; and 980 more")).toBe(true);
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

/** Writes `text` on a new connection to `url`'s host and resolves with everything read until the server closes it. */
function exchange(url: string, text: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    let read = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      read += chunk;
    });
    socket.on("end", () => resolve(read));
    socket.on("error", reject);
    socket.write(text);
  });
}

/** A raw request with exactly these headers (fetch would set Host and Origin itself). */
function rawRequest(url: string, method: string, headers: Record<string, string>) {
  return new Promise<{ status: number | undefined; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const target = new URL(url);
      const sent = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname, method, headers, setHost: false },
        (answer) => {
          let body = "";
          answer.setEncoding("utf8");
          answer.on("data", (chunk: string) => {
            body += chunk;
          });
          answer.on("end", () => resolve({ status: answer.statusCode, body, headers: answer.headers }));
        },
      );
      sent.on("error", reject);
      sent.end();
    },
  );
}

describe("the inspector's routes", () => {
  test("the page is at the server's root (inspectorUrl), with a policy that runs no other script", async () => {
    const server = await start();
    expect(server.inspectorUrl).toBe(`${server.url}/`);
    const page = await fetch(server.inspectorUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'sha256-/);
    expect(await page.text()).toContain("<title>flash-call mock inspector</title>");
    // The browser's favicon request is answered without being recorded as a request to the mock.
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(204);
    expect(server.requests).toEqual([]);
  });

  test("inspector: false serves no page: the root is Flashduty's 404 again", async () => {
    const server = await start({ inspector: false });
    expect(server.inspectorUrl).toBeUndefined();
    const answer = await fetch(`${server.url}/`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ error: { code: "RouteNotFound" } });
  });

  test("a Host that is not this loopback server is refused (a DNS name rebound to 127.0.0.1)", async () => {
    const server = await start();
    const port = new URL(server.url).port;
    const refused = await rawRequest(`${server.url}/`, "GET", { host: `attacker.example:${port}` });
    expect(refused.status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await rawRequest(`${server.url}/`, "GET", { host })).status).toBe(200);
    }
  });

  test("on an interface other than loopback, a Host that is a DNS name is refused; an address or localhost is not", async () => {
    const server = await start({ host: "0.0.0.0" });
    const port = new URL(server.url).port;
    const local = `http://127.0.0.1:${port}/`;
    for (const host of [
      `attacker.example:${port}`,
      "attacker.example",
      `127.0.0.1.attacker.example:${port}`,
    ]) {
      expect((await rawRequest(local, "GET", { host })).status).toBe(403);
      expect((await rawRequest(`${local}inspector/events.ndjson`, "GET", { host })).status).toBe(403);
    }
    // A container's port is often mapped to another: any port is fine.
    for (const host of [
      `127.0.0.1:${port}`,
      "192.168.1.20:9000",
      "localhost:9000",
      "[::1]:9000",
      "10.0.0.5",
    ]) {
      expect((await rawRequest(`${local}inspector/events.ndjson`, "GET", { host })).status).toBe(200);
    }
  });

  test("a HEAD of any inspector route is answered at once, the event stream's too", async () => {
    const server = await start();
    const host = new URL(server.url).host;
    for (const path of ["/", "/inspector/events", "/inspector/events.ndjson", "/inspector/changes.ndjson"]) {
      const answer = await rawRequest(`${server.url}${path}`, "HEAD", { host });
      expect(answer.status).toBe(200);
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(server.requests).toEqual([]);
  });

  test("a refusal is plain text the browser may not sniff or frame, and repeats nothing the client wrote", async () => {
    const server = await start();
    const host = new URL(server.url).host;
    const refused = await rawRequest(`${server.url}/inspector/clear`, "POST", {
      host,
      "sec-fetch-site": "<script>alert(1)</script>",
    });
    expect(refused.status).toBe(403);
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
    expect(refused.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(refused.body).toBe("refused: a request from a non-same-origin page\n");
  });

  test("clear forgets everything, but only for the page itself or a client that is no browser page", async () => {
    const server = await start();
    const host = new URL(server.url).host;
    await post(server.pushUrl, event);
    const clear = (headers: Record<string, string>) =>
      rawRequest(`${server.url}/inspector/clear`, "POST", { host, ...headers });

    expect((await clear({ origin: "https://evil.example" })).status).toBe(403);
    expect((await clear({ origin: `http://${host}`, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await clear({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect(server.events).toHaveLength(1);

    expect((await clear({ origin: `http://${host}`, "sec-fetch-site": "same-origin" })).status).toBe(204);
    expect(server.events).toHaveLength(0);
    await post(server.pushUrl, event);
    expect((await clear({})).status).toBe(204);
    expect(server.events).toHaveLength(0);
  });

  test("the downloads are every accepted push as it was sent, one per line: alerts and changes apart", async () => {
    const server = await start();
    const long = { title_rule: "t".repeat(600), event_status: "Warning" };
    const change = { title: "Deploy v2", change_status: "Done", change_key: "deploy-42" };
    await post(server.pushUrl, long);
    await post(server.pushUrl, { title_rule: "", event_status: "Info" });
    await post(server.changePushUrl, change);
    await post(server.changePushUrl, { title: "no key", change_status: "Done" });
    const download = await fetch(`${server.url}/inspector/events.ndjson`);
    expect(download.headers.get("content-disposition")).toContain('filename="flash-call-mock-events.ndjson"');
    expect(await download.text()).toBe(`${JSON.stringify(long)}\n`);
    const changes = await fetch(`${server.url}/inspector/changes.ndjson`);
    expect(changes.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(changes.headers.get("content-disposition")).toContain('filename="flash-call-mock-changes.ndjson"');
    expect(await changes.text()).toBe(`${JSON.stringify(change)}\n`);
  });

  test("close() ends the pages' event streams", async () => {
    const server = await start();
    const stream = await fetch(`${server.url}/inspector/events`);
    const reader = stream.body!.getReader();
    await reader.read();
    const ended = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return "ended";
      } catch {
        return "ended";
      }
    })();
    await server.close();
    expect(await ended).toBe("ended");
  });
});
