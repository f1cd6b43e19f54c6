import { once } from "node:events";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { afterEach, expect, test } from "vitest";
import { socketTransport } from "./socket-transport.js";

let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  server?.close();
  server = undefined;
});

/** What the server received: the request's bytes up to the end of its body (Content-Length), as Latin-1. */
interface Received {
  text: string;
  socket: Socket;
}

/**
 * A real TCP server on 127.0.0.1 that reads one request (head and Content-Length body), then calls `answer` with
 * the socket, to write whatever bytes the test needs; resolves with its URL and the requests it received.
 */
async function serve(answer: (socket: Socket, received: Received) => void) {
  const requests: Received[] = [];
  server = createServer((socket) => {
    sockets.add(socket);
    let text = "";
    socket.on("data", (bytes) => {
      text += bytes.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      const received = { text, socket };
      requests.push(received);
      socket.removeAllListeners("data");
      answer(socket, received);
    });
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const post = (url: string, init: RequestInit = {}) =>
  socketTransport()(url, { method: "POST", body: '{"a":1}', ...init });

async function bodyOf(response: Response): Promise<string> {
  let text = "";
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>)
    text += Buffer.from(piece).toString("latin1");
  return text;
}

test("sends one request (method, target, Host, the caller's headers, length, close) and reads a sized answer", async () => {
  const { url, requests } = await serve((socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Twice: a\r\nx-twice: b\r\n");
    socket.write('Content-Length: 11\r\n\r\n{"ok":true}');
  });
  const response = await post(`${url}/event/push/alert/standard?integration_key=k&x=1`, {
    headers: { "content-type": "application/json", Connection: "keep-alive" },
  });
  expect(response.status).toBe(200);
  expect(response.ok).toBe(true);
  expect(response.headers.get("Content-Type")).toBe("application/json");
  expect(response.headers.get("x-twice")).toBe("a, b");
  expect(response.headers.get("retry-after")).toBeNull();
  expect(await bodyOf(response)).toBe('{"ok":true}');
  const host = new URL(url).host;
  expect(requests[0]?.text).toBe(
    `POST /event/push/alert/standard?integration_key=k&x=1 HTTP/1.1\r\nHost: ${host}\r\ncontent-type: application/json\r\n` +
      'Content-Length: 7\r\nConnection: close\r\n\r\n{"a":1}',
  );
});

test("a chunked answer is decoded, sent a byte at a time, with an extension and a trailer", async () => {
  const answer =
    "HTTP/1.1 429 Too Many\r\nTransfer-Encoding: chunked\r\nRetry-After: 2\r\n\r\n" +
    "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n";
  const { url } = await serve((socket) => {
    let at = 0;
    const next = () => {
      if (at < answer.length) socket.write(answer[at++] as string, next);
    };
    next();
  });
  const response = await post(url);
  expect(response.status).toBe(429);
  expect(response.ok).toBe(false);
  expect(response.headers.get("retry-after")).toBe("2");
  expect(await bodyOf(response)).toBe("hello, world!!!");
});

test("a body of thousands of one-byte chunks in one write is read in a few pieces, not one per byte", async () => {
  const { url } = await serve((socket) => {
    socket.end(
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${"1\r\nx\r\n".repeat(20_000)}0\r\n\r\n`,
    );
  });
  const response = await post(url);
  let pieces = 0;
  let text = "";
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
    pieces++;
    text += Buffer.from(piece).toString("latin1");
  }
  expect(text).toBe("x".repeat(20_000));
  // One piece per read of the socket (a write this size comes in one or a few), where it was one per chunk.
  expect(pieces).toBeLessThan(1000);
});

test("an answer without a length ends when the connection closes; text() reads it as UTF-8", async () => {
  const { url } = await serve((socket) => {
    socket.write("HTTP/1.0 500 Oops\r\n\r\npart one, ");
    setImmediate(() => socket.end("part two: é"));
  });
  const response = await post(url);
  expect(response.status).toBe(500);
  expect(await response.text()).toBe("part one, part two: é");
});

test("interim 1xx answers are skipped; a 204 has no body", async () => {
  const { url } = await serve((socket) => {
    socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  });
  const response = await post(url);
  expect(response.status).toBe(204);
  expect(await bodyOf(response)).toBe("");
});

test.each([
  ["a head over 16 KiB", `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`],
  ["a status line that is not HTTP/1.x", "HTTP/2 200 OK\r\n\r\n"],
  ["a status that is not three digits", "HTTP/1.1 20 OK\r\n\r\n"],
  ["a status of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"],
  ["a status over 599", "HTTP/1.1 999 Nine\r\nContent-Length: 0\r\n\r\n"],
  ["a status under 100", "HTTP/1.1 099 Low\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"],
  ["a folded header", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"],
  ["a header line without a colon", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"],
  ["a header name with a space", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"],
  ["a header value with a bare CR", "HTTP/1.1 200 OK\r\nX-A: a\rContent-Length: 0\r\n\r\n"],
  ["a header value with a bare LF", "HTTP/1.1 200 OK\r\nX-A: a\nContent-Length: 0\r\n\r\n"],
  ["a header value with NUL", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n"],
  ["two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"],
  ["a Content-Length that is not a number", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"],
  ["101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"],
  [
    "more than 16 interim answers in one write",
    `${"HTTP/1.1 100 Continue\r\n\r\n".repeat(17)}HTTP/1.1 204 No Content\r\n\r\n`,
  ],
  ["thousands of interim answers in one write", "HTTP/1.1 100 Continue\r\n\r\n".repeat(3000)],
])(
  "%s is refused as fetch refuses a broken answer: TypeError fetch failed, with the cause",
  async (_, answer) => {
    const { url } = await serve((socket) => socket.write(answer));
    const failure = await post(url).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe("fetch failed");
    expect(String((failure as TypeError).cause)).toMatch(/malformed HTTP response/);
  },
);

test.each([
  ["a chunk size that is not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
  [
    "a chunk without CRLF after its data",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n",
  ],
  [
    "an endless chunk-size line",
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${"x".repeat(5000)}`,
  ],
])("%s fails the body's read", async (_, answer) => {
  const { url } = await serve((socket) => socket.write(answer));
  const response = await post(url);
  await expect(bodyOf(response)).rejects.toThrow(/malformed HTTP response/);
});

test("a body cut off before its length rejects the read, as Node's fetch body does", async () => {
  const { url } = await serve((socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it");
    setImmediate(() => socket.destroy());
  });
  const response = await post(url);
  await expect(bodyOf(response)).rejects.toThrow("Premature close");
});

test("a connection closed before any answer rejects with fetch failed", async () => {
  const { url } = await serve((socket) => socket.end());
  await expect(post(url)).rejects.toThrow("fetch failed");
});

test("a refused connection rejects with fetch failed and the socket's error as the cause", async () => {
  const { url } = await serve(() => {});
  server?.close();
  await once(server as Server, "close");
  const failure = await post(url).catch((error: unknown) => error);
  expect((failure as TypeError).message).toBe("fetch failed");
  expect((failure as { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
});

test("an abort before the answer rejects with the signal's reason and closes the connection", async () => {
  let closed: Promise<unknown> | undefined;
  const { url } = await serve((socket) => {
    closed = once(socket, "close");
    controller.abort(new Error("stop now"));
  });
  const controller = new AbortController();
  await expect(post(url, { signal: controller.signal })).rejects.toThrow("stop now");
  await closed;
});

test("an abort while the body is read fails the read with the signal's reason", async () => {
  const { url } = await serve((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
  const controller = new AbortController();
  const response = await post(url, { signal: controller.signal });
  const reader = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  expect(Buffer.from((await reader.next()).value as Uint8Array).toString()).toBe("abc");
  controller.abort(new Error("timed out"));
  await expect(reader.next()).rejects.toThrow("timed out");
});

test("an already aborted signal rejects before connecting", async () => {
  const { url, requests } = await serve(() => {});
  await expect(post(url, { signal: AbortSignal.abort(new Error("too late")) })).rejects.toThrow("too late");
  expect(requests).toHaveLength(0);
});

test("leaving the loop early closes the connection", async () => {
  let closed: Promise<unknown> | undefined;
  const { url } = await serve((socket) => {
    closed = once(socket, "close");
    socket.write("HTTP/1.1 200 OK\r\n\r\nthe start of an endless body");
  });
  const response = await post(url);
  for await (const _ of response.body as unknown as AsyncIterable<Uint8Array>) break;
  await closed;
});

test.each([
  ["a header value with CRLF", { headers: { "x-a": "a\r\nInjected: yes" } }],
  ["a header name with a space", { headers: { "x a": "a" } }],
  ["a method with a space", { method: "POST /other" }],
])("%s is refused with a TypeError and nothing is sent", async (_, init) => {
  const { url, requests } = await serve(() => {});
  await expect(post(url, init as RequestInit)).rejects.toBeInstanceOf(TypeError);
  expect(requests).toHaveLength(0);
});
