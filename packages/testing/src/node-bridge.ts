import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyBudget, ServerBusy } from "./body-budget.js";

/**
 * The most of a request body the mock server reads, in bytes (4 MiB): many times the largest event an SDK sends,
 * and small enough that a client posting gigabytes, by mistake or in a hostile test, cannot exhaust the memory of
 * the process the mock runs in (a test runner's). A longer body is answered `413` as soon as it passes the limit,
 * as the load balancer in front of an API would; the rest of it is dropped as it arrives.
 *
 * @example
 * ```ts
 * await fetch(server.pushUrl, { method: "POST", body: "x".repeat(MAX_REQUEST_BODY_BYTES + 1) }); // 413
 * ```
 */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** Thrown by {@link toFetchRequest} for a body over {@link MAX_REQUEST_BODY_BYTES}: nothing more of it is read. */
export class RequestBodyTooLarge extends Error {
  constructor() {
    super(`request body over ${MAX_REQUEST_BODY_BYTES} bytes`);
    this.name = "RequestBodyTooLarge";
  }
}

/**
 * Methods a fetch `Request` cannot carry (its constructor throws): such a request is handed to the mock as a `GET`,
 * its own method passed beside it, so that it is answered as Flashduty answers a method it does not serve.
 */
const FETCH_FORBIDDEN_METHODS: ReadonlySet<string> = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The body of `incoming`, read up to `limit` bytes: its declared length is checked first, then what arrives. What
 * has arrived is held in `budget` until the body ends or is refused.
 */
function readBody(
  incoming: IncomingMessage,
  limit: number,
  budget: BodyBudget,
): Promise<ReturnType<typeof Buffer.concat>> {
  return new Promise((resolve, reject) => {
    const declared = incoming.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) {
      reject(new RequestBodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      budget.give(size);
      return true;
    };
    const stop = (error: Error) => {
      if (!settle()) return;
      incoming.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      // Not through the stream's iterator: leaving it destroys the socket, and the client would get no answer.
      if (size + chunk.length > limit) stop(new RequestBodyTooLarge());
      else if (!budget.take(chunk.length)) stop(new ServerBusy(budget.limit));
      else {
        size += chunk.length;
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      if (settle()) resolve(Buffer.concat(chunks));
    };
    incoming.on("data", onData);
    incoming.once("end", onEnd);
    incoming.once("error", stop);
    incoming.once("close", () => {
      if (!incoming.complete) stop(new Error("the client went away before the body ended"));
    });
  });
}

/**
 * Turns a Node request into a fetch `Request`; its signal aborts when the client goes away first. A body over
 * `limit` bytes is not read whole: a {@link RequestBodyTooLarge} is thrown instead; one that would take the bodies
 * still arriving past `budget`, a {@link ServerBusy}.
 *
 * @param budget the bytes of bodies the server holds while they arrive @default a budget of its own
 * @param limit the most bytes of the body read @default MAX_REQUEST_BODY_BYTES
 */
export async function toFetchRequest(
  incoming: IncomingMessage,
  origin: string,
  signal: AbortSignal,
  budget: BodyBudget = new BodyBudget(),
  limit = MAX_REQUEST_BODY_BYTES,
): Promise<Request> {
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  const method = incoming.method ?? "GET";
  const body = await readBody(incoming, limit, budget);
  if (FETCH_FORBIDDEN_METHODS.has(method.toUpperCase())) {
    return new Request(new URL(incoming.url ?? "/", origin), { method: "GET", headers, signal });
  }
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method,
    headers,
    signal,
    ...(hasBody ? { body } : {}),
  });
}

/**
 * Writes a fetch `Response` to a Node response, framed with a Content-Length. `Response.error()` destroys the
 * socket instead: the client sees a connection reset, not an answer. A response that declares its own
 * Content-Length is sent as its body arrives, after its head: a body that fails part way destroys the connection
 * there (the client sees the answer cut mid-body), and one that never ends holds it until the client leaves.
 */
export async function sendFetchResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  if (response.type === "error") {
    outgoing.socket?.destroy();
    outgoing.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (headers["content-length"] !== undefined && response.body !== null) {
    await streamBody(response.body, response.status, headers, outgoing);
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (outgoing.destroyed) return;
  // Flashduty frames its small JSON answers with a Content-Length, as Go's net/http does for a body it holds whole;
  // the mock answers the same way rather than chunked.
  if (headers["transfer-encoding"] === undefined && response.status !== 204 && response.status !== 304) {
    headers["content-length"] ??= String(body.length);
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

/**
 * Writes the head, then each piece of `body` once the one before it has reached the socket, so that what was sent
 * before a failure is on the wire when the connection is destroyed for it.
 */
async function streamBody(
  body: ReadableStream<Uint8Array>,
  status: number,
  headers: Record<string, string>,
  outgoing: ServerResponse,
): Promise<void> {
  const reader = body.getReader();
  const cut = () => {
    reader.cancel().catch(() => undefined);
    outgoing.socket?.destroy();
    outgoing.destroy();
  };
  // A client that leaves ends the read: a body waiting for nothing must not hold this loop.
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) reader.cancel().catch(() => undefined);
  });
  if (outgoing.destroyed) return cut();
  outgoing.writeHead(status, headers);
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      return cut();
    }
    if (next.done) break;
    const piece = next.value;
    // A connection closed under a write may never call it back: its close answers for it.
    const written = await new Promise<boolean>((resolve) => {
      const onClose = () => resolve(false);
      outgoing.once("close", onClose);
      outgoing.write(piece, (error) => {
        outgoing.off("close", onClose);
        resolve(error === undefined || error === null);
      });
    });
    if (!written || outgoing.destroyed) return cut();
  }
  outgoing.end();
}
