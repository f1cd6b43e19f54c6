import { once } from "node:events";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { inspect } from "node:util";
import {
  ERROR_BODY_LIMIT_BYTES,
  FlashdutyApiError,
  FlashdutyConfigError,
  registerSecret,
} from "@flash-call/errors";
import { afterEach, describe, expect, test, vi } from "vitest";
import { type SendRequest, sendOnce } from "./transport.js";

const KEY = "Xq7+z/w=Kp9vR2mT5nB8cD1fG4hJ6";
registerSecret(KEY);

const EVENT = { title_rule: "disk full", event_status: "Critical" } as const;

/** Every piece of 8 characters of the key: none may appear anywhere. */
function expectNoKey(text: string): void {
  for (let at = 0; at + 8 <= KEY.length; at++) expect(text).not.toContain(KEY.slice(at, at + 8));
}

/** An attempt to push EVENT with KEY, with `overrides`. */
function request(overrides: Partial<SendRequest>): SendRequest {
  return {
    fetch: undefined,
    baseUrl: "http://127.0.0.1:9",
    event: EVENT,
    query: { integration_key: KEY },
    timeoutMs: 10_000,
    signal: undefined,
    ...overrides,
  };
}

const servers: Server[] = [];

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function send(baseUrl: string) {
  return sendOnce(request({ baseUrl }));
}

describe("a redirect is not a delivery", () => {
  test.each([301, 302, 303, 307, 308])(
    "%i: not followed, typed, names the target host, never the key",
    async (status) => {
      const reachedSecond: string[] = [];
      // Would accept the redirected push (a GET without the event) as a success.
      const second = await serve((request, response) => {
        reachedSecond.push(`${request.method} ${request.url}`);
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ request_id: "r", data: { alert_key: "from-the-redirect" } }));
      });
      const first = await serve((request, response) => {
        request.resume();
        response.writeHead(status, {
          location: `${second}/event/push/alert/standard?integration_key=${encodeURIComponent(KEY)}`,
        });
        response.end();
      });
      const result = await send(first);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(reachedSecond).toEqual([]);
      expect(result.status).toBe(status);
      expect(result.error).toBeInstanceOf(FlashdutyApiError);
      expect(result.error).toMatchObject({ code: "Redirected", retryable: false });
      expect(result.error.message).toContain(second);
      expect(result.error.message).toContain("Check the base URL or the push URL");
      for (const text of [
        result.error.message,
        String(result.error.stack),
        JSON.stringify(result.error),
        inspect(result.error, { showHidden: true, depth: 10 }),
      ]) {
        expectNoKey(text);
        expect(text).not.toContain("integration_key=");
      }
    },
  );
});

/**
 * A fetch as node-fetch makes it, over node:http: its answer's body is the IncomingMessage itself, a Node stream
 * with `destroy()` and no `cancel()`.
 */
const nodeStreamFetch = ((url: string, init: RequestInit) =>
  new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: init.method }, (incoming) => {
      const status = incoming.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status <= 299,
        redirected: false,
        type: "basic",
        url,
        headers: new Headers(incoming.headers as Record<string, string>),
        body: incoming,
        text: async () => "",
      });
    });
    outgoing.on("error", reject);
    outgoing.end(init.body as string);
  })) as unknown as typeof fetch;

describe("an answer not read, from a custom fetch whose body is a Node stream (node-fetch)", () => {
  test.each([
    ["a 302", 302],
    ["a status no HTTP answer has", 999],
  ])("%s: the error it is, and the body destroyed, not left holding its connection", async (_, code) => {
    let connection: Socket | undefined;
    const baseUrl = await serve((incoming, outgoing) => {
      incoming.resume();
      connection = outgoing.socket ?? undefined;
      outgoing.writeHead(code, { location: "https://elsewhere.example/" });
      outgoing.write("a body that never ends");
    });
    const result = await sendOnce(request({ fetch: nodeStreamFetch, baseUrl }));
    expect(result).toMatchObject({
      ok: false,
      error: { code: code === 302 ? "Redirected" : "NetworkError" },
    });
    if (result.ok) return;
    expect(result.error.message).not.toMatch(/cancel/);
    await once(connection as Socket, "close");
  });
});

describe("a redirect the runtime hides or a custom fetch follows", () => {
  test("a browser's opaque redirect (type opaqueredirect, status 0) is a Redirected failure", async () => {
    const opaque = {
      type: "opaqueredirect",
      status: 0,
      ok: false,
      redirected: false,
      url: "",
      headers: new Headers(),
      body: null,
      text: async () => "",
    } as unknown as Response;
    const result = await sendOnce(request({ fetch: async () => opaque, baseUrl: "https://h" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "Redirected", status: 0, retryable: false });
  });

  test("a custom fetch that follows a 302 anyway: a 2xx from the target is not taken as a delivery", async () => {
    const second = await serve((request, response) => {
      request.resume();
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ request_id: "r", data: { alert_key: "from-the-redirect" } }));
    });
    const first = await serve((request, response) => {
      request.resume();
      response.writeHead(302, { location: `${second}/landing?integration_key=${encodeURIComponent(KEY)}` });
      response.end();
    });
    const following: typeof fetch = (url, init) => fetch(url, { ...init, redirect: "follow" });
    const result = await sendOnce(request({ fetch: following, baseUrl: first }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "Redirected", retryable: false });
    expect(result.error.message).toMatch(/^Flashduty answered a redirect to /);
    expect(result.error.message).toContain(second);
    expectNoKey(result.error.message);
  });
});

describe("bounded reads", () => {
  test("a 60 MB error answer is cut at 64 KiB: not read whole, and the error says so", async () => {
    const total = 60 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, "x");
    let written = 0;
    let closedEarly: (bytes: number) => void = () => {};
    const serverSawClose = new Promise<number>((resolve) => {
      closedEarly = resolve;
    });
    const base = await serve((request, response) => {
      request.resume();
      response.writeHead(502, { "content-type": "text/plain", "content-length": String(total) });
      response.on("close", () => closedEarly(written));
      // Written as fast as the client reads: backpressure stops it when the client stops reading.
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once("drain", pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    const result = await send(base);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(`The body was cut at ${ERROR_BODY_LIMIT_BYTES / 1024} KiB`);
    expect(((result.error as FlashdutyApiError).body as string).length).toBeLessThanOrEqual(
      ERROR_BODY_LIMIT_BYTES,
    );
    // The client cancelled the body: the server saw the connection close long before it wrote 60 MB.
    expect(await serverSawClose).toBeLessThan(total / 4);
  });

  test("a body cut inside a multi-byte character, and a key straddling the cut, leak nothing", async () => {
    const base = await serve((request, response) => {
      request.resume();
      response.writeHead(400, { "content-type": "text/plain" });
      const prefix = "é".repeat((ERROR_BODY_LIMIT_BYTES - 20) / 2);
      response.end(`${prefix}${KEY} and more`);
    });
    const result = await send(base);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectNoKey(result.error.message);
    expectNoKey(String((result.error as FlashdutyApiError).body));
  });
});

describe("success answers are untrusted", () => {
  test("a 2xx echoing the key in request_id and data comes back redacted", async () => {
    const base = await serve((request, response) => {
      request.resume();
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          request_id: `req-${KEY}`,
          data: { alert_key: "ak-1", echo: `you sent ${encodeURIComponent(KEY)}`, [KEY]: KEY.slice(0, 12) },
        }),
      );
    });
    const result = await send(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.data.alert_key).toBe("ak-1");
    expectNoKey(JSON.stringify(result.body));
    expectNoKey(inspect(result.body, { depth: 10 }));
  });
});

test("a key holding a lone surrogate is a FlashdutyConfigError, not a URIError or a network error", async () => {
  const result = await sendOnce(
    request({
      fetch: async () => {
        throw new Error("must not be called");
      },
      baseUrl: "http://127.0.0.1:9",
      query: { integration_key: "bad-\ud800-surrogate-key" },
      timeoutMs: 1000,
    }),
  );
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(FlashdutyConfigError);
});

const SUCCESS = '{"request_id":"r","data":{"alert_key":"k"}}';

/** A fetch that answers when `answer` settles, and rejects as fetch does when its request is aborted first. */
function fetchAnsweringAfter(answer: Promise<unknown>): typeof fetch {
  return (_url, init) =>
    new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      void answer.then(() => resolve(new Response(SUCCESS, { status: 200 })));
    });
}

describe("timeouts", () => {
  test("a timeoutMs beyond setTimeout's limit waits, instead of timing out at once", async () => {
    // Answers after 20 ms: an overflowing timer (clamped by the runtime to 1 ms) would fire first.
    const answer = new Promise((resolve) => setTimeout(resolve, 20));
    const result = await sendOnce(request({ fetch: fetchAnsweringAfter(answer), timeoutMs: 2 ** 32 }));
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  test("a push after a test used fake timers still times out", async () => {
    vi.useFakeTimers();
    try {
      const answered = await sendOnce(request({ fetch: async () => new Response(SUCCESS, { status: 200 }) }));
      expect(answered.ok).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    const never = new Promise(() => {});
    const result = await sendOnce(request({ fetch: fetchAnsweringAfter(never), timeoutMs: 50 }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("Timeout");
  });
});

test("each request gets its own headers, so a custom fetch changing them affects no other request", async () => {
  const seen: Array<Record<string, string>> = [];
  const mutating: typeof fetch = async (_url, init) => {
    const headers = init?.headers as Record<string, string>;
    seen.push({ ...headers });
    headers["x-mutated"] = "1";
    return new Response(SUCCESS, { status: 200 });
  };
  await sendOnce(request({ fetch: mutating }));
  await sendOnce(request({ fetch: mutating }));
  expect(seen).toEqual([{ "content-type": "application/json" }, { "content-type": "application/json" }]);
});

describe("a custom fetch that ignores its signal", () => {
  const never = () => new Promise<never>(() => {});

  test.each([
    ["never settles", (() => never()) as unknown as typeof fetch],
    [
      "answers with a body that never ends",
      (async () =>
        new Response(new ReadableStream({ pull: () => never() }), {
          status: 200,
        })) as unknown as typeof fetch,
    ],
    [
      "answers with chunks that never end",
      (async () => ({
        status: 200,
        ok: true,
        headers: new Headers(),
        body: { [Symbol.asyncIterator]: () => ({ next: never }) },
        text: never,
      })) as unknown as typeof fetch,
    ],
  ])("%s: the attempt still times out", async (_name, stuck) => {
    const result = await sendOnce(request({ fetch: stuck, timeoutMs: 30 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
  });

  test("a fetch that returns its Response itself, not a promise, whose body never ends: a typed timeout", async () => {
    const direct = (() =>
      new Response(new ReadableStream({ pull: () => never() }), { status: 200 })) as unknown as typeof fetch;
    const result = await sendOnce(request({ fetch: direct, timeoutMs: 30 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
  });

  test("the caller's signal still aborts it", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const result = await sendOnce(
      request({ fetch: never as unknown as typeof fetch, signal: controller.signal }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "Aborted" } });
  });
});

describe("the runtime's own fetch, which is not raced: its abort ends the request and the body", () => {
  test("a server that never answers: a typed timeout", async () => {
    const baseUrl = await serve((request) => request.resume());
    const result = await sendOnce(request({ baseUrl, timeoutMs: 100 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
  });

  test("a server that sends its headers and never ends the body: a typed timeout", async () => {
    const baseUrl = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"request_id":');
    });
    const result = await sendOnce(request({ baseUrl, timeoutMs: 100 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
  });

  test("a fetch put on globalThis after flash-call loaded (a polyfill) is raced like a custom one", async () => {
    vi.stubGlobal("fetch", () => new Promise<never>(() => {}));
    try {
      const result = await sendOnce(request({ timeoutMs: 30 }));
      expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("whatever a custom fetch throws is a typed network error", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  test.each([
    ["null", null],
    ["a string quoting the URL", "__URL__"],
    [
      "an object whose message getter throws",
      Object.defineProperty({}, "message", {
        get() {
          throw new Error("getter");
        },
      }),
    ],
    [
      "an Error whose cause's code getter throws",
      new Error("x", {
        cause: Object.defineProperty({}, "code", {
          get() {
            throw new Error("getter");
          },
        }),
      }),
    ],
    [
      "a Proxy whose traps throw",
      new Proxy(
        {},
        {
          get() {
            throw new Error("trap");
          },
        },
      ),
    ],
    ["a revoked Proxy", revoked.proxy],
  ])("%s", async (_name, thrown) => {
    const throwing: typeof fetch = async (url) => {
      throw thrown === "__URL__" ? `failed: ${String(url)}` : thrown;
    };
    const result = await sendOnce(request({ fetch: throwing }));
    expect(result).toMatchObject({ ok: false, error: { code: "NetworkError" } });
    if (result.ok) return;
    expectNoKey(`${result.error.message} ${result.error.stack} ${inspect(result.error)}`);
  });
});

describe("a network error keeps what was thrown as its cause, redacted", () => {
  test("the runtime's fetch to a closed port: the system error's code is on the cause", async () => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, "close");
    const result = await sendOnce(request({ baseUrl: `http://127.0.0.1:${port}` }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "NetworkError", retryable: true });
    expect((result.error.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code).toBe(
      "ECONNREFUSED",
    );
  });

  test("a custom fetch's error quoting the URL: kept as the cause, its type kept, the key masked", async () => {
    const throwing: typeof fetch = async (url) => {
      throw new TypeError(`cannot fetch ${String(url)}`, { cause: { url: String(url) } });
    };
    const result = await sendOnce(request({ fetch: throwing }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.cause).toBeInstanceOf(TypeError);
    expect((result.error.cause as Error).message).toMatch(/^cannot fetch http:\/\/127\.0\.0\.1:9\//);
    expectNoKey(`${inspect(result.error, { depth: 10, showHidden: true })} ${JSON.stringify(result.error)}`);
  });
});

describe("an answer whose status no HTTP answer has", () => {
  test.each([600, 999])(
    "HTTP %i: a retryable NetworkError with that status, not an API error",
    async (code) => {
      const baseUrl = await serve((incoming, outgoing) => {
        incoming.resume();
        outgoing.writeHead(code, { "content-type": "application/json" });
        outgoing.end(SUCCESS);
      });
      const result = await send(baseUrl);
      expect(result).toMatchObject({
        ok: false,
        status: code,
        error: { code: "NetworkError", status: code, retryable: true },
      });
      if (result.ok) return;
      expect(result.error.message).toBe(`Flashduty answered HTTP ${code} (no valid status)`);
    },
  );

  test("a custom fetch's status that is not a number is never put on the error as it came", async () => {
    const answer = {
      status: "999",
      ok: false,
      type: "basic",
      headers: new Headers(),
      body: null,
      text: async () => "",
    };
    const result = await sendOnce(request({ fetch: (async () => answer) as unknown as typeof fetch }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.status === undefined || typeof result.error.status === "number").toBe(true);
  });

  test("a custom fetch's answer of status 0 or 1xx: the same", async () => {
    for (const status of [0, 103]) {
      const answer = {
        status,
        ok: false,
        type: "basic",
        headers: new Headers(),
        body: null,
        text: async () => "",
      };
      const result = await sendOnce(request({ fetch: (async () => answer) as unknown as typeof fetch }));
      expect(result).toMatchObject({ ok: false, status, error: { code: "NetworkError", retryable: true } });
    }
  });
});

describe("an answer cut part way through its body", () => {
  test("by the server, read by the runtime's fetch: a retryable NetworkError with the status that came", async () => {
    const baseUrl = await serve((incoming, outgoing) => {
      incoming.resume();
      outgoing.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(SUCCESS.length),
      });
      outgoing.write(SUCCESS.slice(0, 10), () => outgoing.destroy());
    });
    const result = await send(baseUrl);
    expect(result).toMatchObject({
      ok: false,
      status: 200,
      error: { code: "NetworkError", status: 200, retryable: true },
    });
    if (result.ok) return;
    expect(result.error.message).toMatch(/^Flashduty's answer \(HTTP 200\) was cut short: \S/);
  });

  test("by a custom fetch whose body fails quoting the URL: the same error, without the key", async () => {
    const cutting: typeof fetch = async (url) => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new Error(`connection to ${String(url)} lost`));
          sent = true;
          controller.enqueue(new TextEncoder().encode(SUCCESS.slice(0, 10)));
        },
      });
      return new Response(body, { status: 200 });
    };
    const result = await sendOnce(request({ fetch: cutting }));
    expect(result).toMatchObject({ ok: false, error: { code: "NetworkError", status: 200 } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/^Flashduty's answer \(HTTP 200\) was cut short: connection to /);
    expectNoKey(`${result.error.message} ${result.error.stack} ${inspect(result.error)}`);
  });
});

describe("a custom fetch's answer the attempt gave up on is released", () => {
  /** A Response whose body sends `first` (if any), then nothing (`onStuck` is told), and tells when it is cancelled. */
  function stuckAnswer(
    first: string | undefined,
    onStuck: () => void = () => {},
    headers: Record<string, string> = {},
  ) {
    let cancelled!: () => void;
    const released = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (first !== undefined && !sent) {
          sent = true;
          controller.enqueue(new TextEncoder().encode(first));
          return;
        }
        onStuck();
        return new Promise<never>(() => {});
      },
      cancel: () => cancelled(),
    });
    return { response: new Response(body, { status: 200, headers }), released };
  }

  test("timed out while its body of a small Content-Length was being read: that body is cancelled too", async () => {
    // A length under the limit is what lets the runtime's own answer be read by text(), which nothing can cancel.
    const { response, released } = stuckAnswer('{"request_id":', undefined, { "content-length": "50" });
    const result = await sendOnce(request({ fetch: (async () => response) as typeof fetch, timeoutMs: 30 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
    await released;
  });

  test("timed out while its body was being read: the body is cancelled, not left holding its connection", async () => {
    const { response, released } = stuckAnswer('{"request_id":');
    const result = await sendOnce(request({ fetch: (async () => response) as typeof fetch, timeoutMs: 30 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
    await released;
  });

  test("aborted by the caller while its body was being read: the body is cancelled", async () => {
    const controller = new AbortController();
    // Aborted once the body, half sent, is being read.
    const { response, released } = stuckAnswer('{"request_id":', () => controller.abort());
    const result = await sendOnce(
      request({ fetch: (async () => response) as typeof fetch, signal: controller.signal }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "Aborted" } });
    await released;
  });

  test("answered only after the timeout: its body is cancelled unread", async () => {
    const { response, released } = stuckAnswer(undefined);
    let answer!: (value: Response) => void;
    const late = (() =>
      new Promise<Response>((resolve) => {
        answer = resolve;
      })) as typeof fetch;
    const result = await sendOnce(request({ fetch: late, timeoutMs: 30 }));
    expect(result).toMatchObject({ ok: false, error: { code: "Timeout" } });
    answer(response);
    await released;
  });
});
