import type { Socket } from "node:net";
import { type BodyQueue, bodyQueue } from "./body-queue.js";
import { chunkedBody } from "./chunked-body.js";
import {
  type BodyFraming,
  bodyFraming,
  isFieldValue,
  isToken,
  MAX_INTERIM_ANSWERS,
  MAX_RESPONSE_HEAD_BYTES,
  parseResponseHead,
  type ResponseHead,
} from "./http-response-head.js";
import { builtin } from "./node-builtin.js";
import { abortReason, fetchFailed, prematureClose, type TransportResponse } from "./transport-response.js";

const HEAD_END = "\r\n\r\n";
// Set by this transport for every request: a caller's own would contradict them.
const OWN_HEADERS = new Set(["host", "content-length", "connection", "transfer-encoding"]);

// A header name or method with a character no token has, or a value with CR, LF or NUL, would let text passed
// in split the request: fetch refuses them with a TypeError, and so does this transport.

/** The request's text up to its body: `method target HTTP/1.1`, Host, the caller's headers, the length, close. */
function requestHead(url: URL, method: string, headers: Record<string, string>, bodyBytes: number): string {
  if (!isToken(method)) throw new TypeError(`"${method}" is not a valid HTTP method.`);
  let text = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!isToken(name) || !isFieldValue(String(value))) throw new TypeError(`Invalid header "${name}".`);
    if (!OWN_HEADERS.has(name.toLowerCase())) text += `${name}: ${value}\r\n`;
  }
  return `${text}Content-Length: ${bodyBytes}\r\nConnection: close\r\n\r\n`;
}

/** Opens the connection for `url`: TCP for http:, TLS (Node's: system roots, NODE_EXTRA_CA_CERTS, name checked) for https:. */
function open(url: URL): Socket {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const net = builtin("node:net") as typeof import("node:net");
  if (url.protocol === "http:") return net.connect({ host, port: Number(url.port || 80) });
  const tls = builtin("node:tls") as typeof import("node:tls");
  return tls.connect({
    host,
    port: Number(url.port || 443),
    ...(net.isIP(host) === 0 && { servername: host }),
    ALPNProtocols: ["http/1.1"],
  });
}

function responseOf(url: string, head: ResponseHead, queue: BodyQueue, socket: Socket): TransportResponse {
  return {
    status: head.status,
    ok: head.status >= 200 && head.status <= 299,
    redirected: false,
    type: "basic",
    url,
    headers: { get: (name) => head.headers.get(name.toLowerCase()) ?? null },
    body: {
      [Symbol.asyncIterator]: () => queue.iterator,
      cancel: async () => {
        socket.destroy();
      },
    },
    async text() {
      const pieces: Uint8Array[] = [];
      for (let step = await queue.iterator.next(); !step.done; step = await queue.iterator.next())
        pieces.push(step.value);
      return Buffer.concat(pieces).toString("utf8");
    },
  };
}

/**
 * A `fetch` for one request per connection, written on a socket of `node:net` (or `node:tls` for https:) with
 * its own HTTP/1.1 reading: what a single `flash-call push` sends with. Loading `node:http` and making its first
 * request costs a push on Node 22 more than everything else it does after start-up (its agent, request and
 * parser are compiled on first use, at every start); this transport's code is the bundle's, which the compile
 * cache holds compiled. It does what the SDK asks of fetch and nothing more: one request (method, headers, string
 * body) with `Connection: close`; redirects are never followed (the SDK refuses a 3xx); 1xx answers are skipped;
 * the body is handed over as it arrives (Content-Length, chunked, or until close), so the SDK reads at most its
 * limit. What it refuses, rather than guess at: a head over 16 KiB, a malformed status line or header, folded
 * headers, a Content-Length that is not one number, a malformed chunk, a body shorter than its length, and
 * `101 Switching Protocols`. Every failure rejects like Node's `fetch` (`TypeError("fetch failed")` with the cause)
 * and an abort with the signal's reason. A `--file` batch keeps {@link httpTransport}, whose agent keeps
 * connections alive.
 *
 * @example
 * ```ts
 * const flashCall = createFlashCall({ fetch: socketTransport() });
 * ```
 */
export function socketTransport(): typeof fetch {
  const send = (input: string | URL, init: RequestInit = {}): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const url = new URL(String(input));
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        reject(fetchFailed(new Error(`${url.protocol} is not http: or https:`)));
        return;
      }
      const method = init.method ?? "GET";
      const body = typeof init.body === "string" ? Buffer.from(init.body) : undefined;
      let text: string;
      try {
        text = requestHead(
          url,
          method,
          { ...(init.headers as Record<string, string> | undefined) },
          body?.length ?? 0,
        );
      } catch (error) {
        reject(error);
        return;
      }
      const socket = open(url);
      let queue: BodyQueue | undefined;
      let head = "";
      let framing: BodyFraming | undefined;
      let interimAnswers = 0;
      let left = 0;
      const chunks = chunkedBody();
      const finish = () => {
        signal?.removeEventListener("abort", onAbort);
        queue?.end();
        socket.destroy();
      };
      const fail = (error: unknown) => {
        signal?.removeEventListener("abort", onAbort);
        if (queue === undefined) reject(error);
        else queue.fail(error);
        socket.destroy();
      };
      const onAbort = () => fail(abortReason(signal as AbortSignal));
      signal?.addEventListener("abort", onAbort, { once: true });

      const readBody = (bytes: Uint8Array) => {
        if (queue === undefined || framing === undefined) return;
        if (framing.kind === "length") {
          const piece = bytes.subarray(0, left);
          left -= piece.length;
          queue.push(piece);
          if (left === 0) finish();
        } else if (framing.kind === "chunked") {
          if (chunks.feed(bytes, (piece) => queue?.push(piece))) finish();
        } else if (framing.kind === "close") {
          queue.push(bytes);
        }
      };
      const readHead = (bytes: Uint8Array) => {
        const before = head.length;
        head += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
        const end = head.indexOf(HEAD_END, Math.max(0, before - 3));
        if (end === -1) {
          if (head.length > MAX_RESPONSE_HEAD_BYTES)
            throw new Error("malformed HTTP response: a head over 16 KiB");
          return;
        }
        if (end > MAX_RESPONSE_HEAD_BYTES) throw new Error("malformed HTTP response: a head over 16 KiB");
        const parsed = parseResponseHead(head.slice(0, end));
        const rest = bytes.subarray(bytes.length - (head.length - end - HEAD_END.length));
        head = "";
        if (parsed.status === 101)
          throw new Error("malformed HTTP response: 101 Switching Protocols to a POST");
        // An interim answer (100 Continue, 103 Early Hints): the real one follows.
        if (parsed.status < 200) {
          // See MAX_INTERIM_ANSWERS; the bound also bounds this recursion.
          if (++interimAnswers > MAX_INTERIM_ANSWERS)
            throw new Error(
              `malformed HTTP response: more than ${MAX_INTERIM_ANSWERS} interim (1xx) answers`,
            );
          if (rest.length > 0) readHead(rest);
          return;
        }
        framing = bodyFraming(method, parsed);
        left = framing.kind === "length" ? framing.bytes : 0;
        queue = bodyQueue(socket);
        resolve(responseOf(url.href, parsed, queue, socket));
        if (framing.kind === "none" || (framing.kind === "length" && left === 0)) finish();
        else if (rest.length > 0) readBody(rest);
      };

      socket.on("data", (bytes: Buffer) => {
        try {
          if (queue === undefined) readHead(bytes);
          else readBody(bytes);
        } catch (error) {
          fail(queue === undefined ? fetchFailed(error) : error);
        }
      });
      socket.on("end", () => {
        if (queue !== undefined && framing?.kind === "close") finish();
      });
      socket.on("error", (error) => fail(queue === undefined ? fetchFailed(error) : error));
      socket.on("close", () => {
        if (queue === undefined)
          fail(fetchFailed(new Error("the server closed the connection before answering")));
        else if (!queue.finished) fail(prematureClose());
      });
      socket.write(body === undefined ? text : Buffer.concat([Buffer.from(text, "latin1"), body]));
    });
  return send as unknown as typeof fetch;
}
