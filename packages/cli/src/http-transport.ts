import type { IncomingMessage, RequestOptions } from "node:http";
import { bodyQueue } from "./body-queue.js";
import { MAX_INTERIM_ANSWERS } from "./http-response-head.js";
import { builtin } from "./node-builtin.js";
import { abortReason, fetchFailed, prematureClose, type TransportResponse } from "./transport-response.js";

/** `name`'s value as fetch's `Headers.get` gives it: repeated headers joined by ", ", absent as `null`. */
function headerOf(message: IncomingMessage, name: string): string | null {
  const value = message.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The chunks of `message` (see bodyQueue): an error (a reset, or the abort's reason) rejects the next read, and a
 * close before the end rejects like Node's stream iterator.
 */
function chunksOf(message: IncomingMessage): AsyncIterator<Uint8Array> {
  // Destroyed before the read began (an abort): its error and close were emitted before anyone listened.
  const queue = bodyQueue(
    message,
    message.destroyed ? { error: message.errored ?? prematureClose() } : undefined,
  );
  let ended = false;
  message.on("data", (chunk: Uint8Array) => queue.push(chunk));
  message.on("end", () => {
    ended = true;
    queue.end();
  });
  message.on("error", (error) => queue.fail(error));
  message.on("close", () => {
    if (!ended) queue.fail(prematureClose());
  });
  return queue.iterator;
}

function responseOf(url: string, message: IncomingMessage): TransportResponse {
  const status = message.statusCode ?? 0;
  const body = {
    [Symbol.asyncIterator]: () => chunksOf(message),
    cancel: async () => {
      message.destroy();
    },
  };
  return {
    status,
    ok: status >= 200 && status <= 299,
    redirected: false,
    type: "basic",
    url,
    headers: { get: (name) => headerOf(message, name) },
    body,
    async text() {
      let text = "";
      message.setEncoding("utf8");
      for await (const chunk of message) text += chunk;
      return text;
    },
  };
}

/**
 * A `fetch` for the CLI's pushes without a proxy, made of `node:http` and `node:https`: Node's own `fetch` loads
 * undici on first use, which costs more than the rest of a `flash-call push` together (`pnpm bench`, table c).
 * It does what the SDK asks of fetch and nothing more: one request (method, headers, string body) to an `http:`
 * or `https:` URL, cancelled by `init.signal` until the body is read; redirects are never followed (the SDK
 * refuses a 3xx); the body is handed over as a stream, so the SDK reads at most its limit; `101 Switching
 * Protocols`, more than {@link MAX_INTERIM_ANSWERS} interim answers, and a connection closed with no answer are
 * refused at once, as the socket transport refuses them. TLS is Node's (system
 * roots, `NODE_EXTRA_CA_CERTS`), as with `fetch`. Connections are kept alive by Node's global agent, so a
 * `--file` batch reuses them. A failure rejects like Node's `fetch`: `TypeError("fetch failed")` with the socket
 * error as its cause, and an abort with the signal's reason.
 *
 * @example
 * ```ts
 * const flashCall = createFlashCall({ fetch: httpTransport() });
 * ```
 */
export function httpTransport(): typeof fetch {
  const send = (input: string | URL, init: RequestInit = {}): Promise<TransportResponse> => {
    const url = new URL(String(input));
    // node:https loads TLS and crypto: only a push to an https: URL pays for them.
    const { request: open } = builtin(
      url.protocol === "https:" ? "node:https" : "node:http",
    ) as typeof import("node:http");
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const body = typeof init.body === "string" ? init.body : undefined;
      const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const options: RequestOptions = { method: init.method ?? "GET", headers };
      const request = open(url, options);
      let response: IncomingMessage | undefined;
      const onAbort = () => {
        const reason = abortReason(signal as AbortSignal);
        reject(reason);
        request.destroy(reason);
        response?.destroy(reason);
      };
      const done = () => signal?.removeEventListener("abort", onAbort);
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error) => {
        done();
        reject(fetchFailed(error));
      });
      // Node hands a 101 to an `upgrade` listener, and without one closes the socket with neither an error nor an
      // answer; interim answers it reports as `information`, as many as come. Both refused, as the socket transport
      // refuses them, instead of leaving the push waiting for its timeout.
      request.on("upgrade", (_message, socket) => {
        done();
        socket.destroy();
        reject(fetchFailed(new Error("malformed HTTP response: 101 Switching Protocols to a POST")));
      });
      let interimAnswers = 0;
      request.on("information", () => {
        if (++interimAnswers > MAX_INTERIM_ANSWERS)
          request.destroy(
            new Error(`malformed HTTP response: more than ${MAX_INTERIM_ANSWERS} interim (1xx) answers`),
          );
      });
      request.on("close", () => {
        // Settled already unless the request closed with no answer and no error.
        if (response !== undefined) return;
        done();
        reject(fetchFailed(new Error("the server closed the connection before answering")));
      });
      request.on("response", (message) => {
        response = message;
        // Watched until the body is read or dropped: an abort (the SDK's timeout) also ends a body that stalls.
        message.on("close", done);
        resolve(responseOf(url.href, message));
      });
      request.end(body);
    });
  };
  return send as unknown as typeof fetch;
}
