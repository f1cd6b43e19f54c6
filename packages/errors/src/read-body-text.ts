import { argumentError } from "./argument-error.js";
import { type HeadersLike, readHeader } from "./headers.js";

/**
 * The most of an error body read, in bytes (64 KiB): far more than any Flashduty or proxy error page needs to be
 * recognised, and small enough that a hostile or broken server answering with megabytes costs nothing.
 *
 * @example
 * ```ts
 * const { text, cut } = await readBodyText(response, ERROR_BODY_LIMIT_BYTES);
 * ```
 */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The most of a success body read, in bytes (64 KiB). Flashduty's success answer is about 100 bytes; a body cut
 * at this limit is not valid JSON, and so is reported as an unreadable answer rather than taken as a delivery.
 *
 * @example
 * ```ts
 * const { text, cut } = await readBodyText(response, SUCCESS_BODY_LIMIT_BYTES);
 * ```
 */
export const SUCCESS_BODY_LIMIT_BYTES = 64 * 1024;

/** A body as far as it was read. */
export interface BodyText {
  /** The body decoded as UTF-8, up to the limit (a character split by the limit becomes U+FFFD). */
  text: string;
  /** The body had more than the limit; the rest was not read (the stream was cancelled). */
  cut: boolean;
}

/** The chunks of a body, however the runtime or a custom fetch gives them. */
type BodySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

function isBodySource(body: unknown): body is BodySource {
  if (typeof body !== "object" || body === null) return false;
  return (
    typeof (body as ReadableStream).getReader === "function" ||
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/** Whole decimal digits, as a Content-Length must be: not a list ("10, 900"), a sign or a space. */
const DIGITS = /^\d{1,15}$/;

/**
 * Whether the runtime itself stops a fetch body at `maxBytes` or before: the answer says how long it is
 * (Content-Length, at most `maxBytes`), and nothing lets it be longer once read. A Transfer-Encoding wins over a
 * Content-Length (Bun and Deno then read a chunked body of any size, and show both headers); a Content-Encoding
 * is undone by fetch (14 bytes of brotli make a megabyte). Node (undici), Bun and Deno read no byte past a
 * Content-Length, and fail when the body ends short of it.
 */
function isBoundedByLength(headers: unknown, maxBytes: number): boolean {
  if (typeof headers !== "object" || headers === null) return false;
  const header = (name: string) => readHeader(headers as HeadersLike, name);
  const length = header("content-length");
  return (
    length !== undefined &&
    DIGITS.test(length) &&
    Number(length) <= maxBytes &&
    header("transfer-encoding") === undefined &&
    header("content-encoding") === undefined
  );
}

/**
 * A Response of this runtime's fetch (its body is a stream or null), not one a custom fetch built its own way. The
 * tag is asked first: in Node the global `Response` is a getter that loads undici (Node's fetch, tens of
 * milliseconds), which a response from a custom fetch (the CLI's node:http transport) must not pay for. Every
 * runtime's own Response carries the tag, so the answer for one of them is unchanged.
 */
const isFetchResponse = (response: unknown): response is Response =>
  Object.prototype.toString.call(response) === "[object Response]" &&
  typeof Response === "function" &&
  response instanceof Response;

const STREAM = { stream: true };

/** For a cancel or return() whose own failure has nothing more to give back. */
const ignore = () => {};

/** Reads up to `maxBytes` of a stream through its reader, cancelling the rest (not awaited: the answer is had). */
async function readStream(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<BodyText> {
  const reader = body.getReader();
  // The reader locks the stream: only it can cancel the body of an answer given up on, whose source (a custom
  // fetch's) may not end at the abort and would hold its connection, and this read, for as long as it sends.
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(ignore);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  // The last chunk, decoded only once the next read shows whether it ends the body: most answers are one chunk,
  // decoded in one call.
  let last: Uint8Array | undefined;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        // The abort's cancel ends the read as if the body had: what was read is a part, not the answer.
        if (signal?.aborted) throw signal.reason;
        return { text: text + decoder.decode(last), cut: false };
      }
      const bytes = next.value;
      if (last !== undefined) text += decoder.decode(last, STREAM);
      last = undefined;
      const room = maxBytes - received;
      if (bytes.byteLength > room) {
        reader.cancel().catch(ignore);
        return { text: text + decoder.decode(bytes.subarray(0, room)), cut: true };
      }
      received += bytes.byteLength;
      last = bytes;
    }
  } catch (error) {
    // A server that never ends the body must not hold the answer we already have.
    reader.cancel().catch(ignore);
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Reads up to `maxBytes` of a custom fetch's Node stream (node-fetch), an async iterable of chunks. When the read
 * ends early (cut, failed, or `signal` aborted) the iterator's `return()` is called and a Node stream (a body with
 * `destroy()`) destroyed: an async generator's return() waits behind the chunk it awaits (Node's stream iterator
 * is one), and an answer given up on must not hold its connection. An abort rejects with the signal's reason at
 * once, even while a chunk is awaited.
 */
async function readChunks(
  body: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<BodyText> {
  const iterator = body[Symbol.asyncIterator]();
  let open = true;
  const stop = () => {
    if (!open) return;
    open = false;
    try {
      Promise.resolve(iterator.return?.()).catch(ignore);
      (body as { destroy?: () => void }).destroy?.();
    } catch {
      // A return() or destroy() that throws has nothing more to give back.
    }
  };
  let onAbort: (() => void) | undefined;
  const aborted =
    signal &&
    new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        stop();
        reject(signal.reason);
      };
    });
  aborted?.catch(ignore);
  if (onAbort !== undefined) {
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  }
  const decoder = new TextDecoder();
  // One per read, not per chunk: a body of string chunks may have many.
  const encoder = new TextEncoder();
  let text = "";
  let received = 0;
  try {
    for (;;) {
      const next = await (aborted ? Promise.race([iterator.next(), aborted]) : iterator.next());
      if (next.done) {
        open = false;
        return { text: text + decoder.decode(), cut: false };
      }
      const chunk = next.value;
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      const room = maxBytes - received;
      if (bytes.byteLength > room) {
        stop();
        return { text: text + decoder.decode(bytes.subarray(0, room)), cut: true };
      }
      received += bytes.byteLength;
      text += decoder.decode(bytes, STREAM);
    }
  } catch (error) {
    stop();
    throw error;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Reads at most `maxBytes` of a fetch response's body as UTF-8 text and cancels the rest, so that a huge or
 * endless answer costs neither the memory nor the time of reading it whole. A fetch `Response` whose
 * Content-Length is at most `maxBytes`, with no Transfer-Encoding or Content-Encoding, is read by `text()`: the
 * runtime stops it at that length (a Response built by hand with a false Content-Length is the caller's own). Any other is read through its stream reader (or, from a custom fetch such as
 * node-fetch, as an async iterable of chunks); `response.text()` (cut to `maxBytes` characters) is the fallback
 * only when there is no body stream.
 *
 * @param response a fetch `Response`, or anything with its `body` / `text()` (and `headers`)
 * @param maxBytes the most bytes to read, e.g. {@link ERROR_BODY_LIMIT_BYTES}
 * @param signal when it aborts, a body being read through its stream reader is cancelled, and a custom fetch's
 * async iterable of chunks is ended by its iterator's `return()` (a Node stream also destroyed); either way the
 * read rejects with the signal's reason (a body only a custom fetch ends: the runtime's own ends at its request's
 * abort); with a signal, a body of a bounded Content-Length is read through its reader too, not `text()`, which
 * nothing can cancel @default none
 * @throws FlashdutyConfigError (as a rejection) for a `response` that is no object or has neither a body nor
 * `text()`, or a `maxBytes` that is not a number
 * @example
 * ```ts
 * const { text, cut } = await readBodyText(response, ERROR_BODY_LIMIT_BYTES);
 * if (!response.ok) throw errorFromResponse(response.status, text, response.headers, cut ? { bodyCutAtBytes: ERROR_BODY_LIMIT_BYTES } : {});
 * ```
 */
export function readBodyText(
  response: { body?: unknown; headers?: unknown; text(): Promise<string> },
  maxBytes: number,
  signal?: AbortSignal,
): Promise<BodyText> {
  try {
    // Checked before `body` is read: Bun makes a stream of the body on that read, which text() would not need.
    // Not an async function: this is every push's path, and one promise (text's) is enough for it.
    // Not with a signal: a body text() reads cannot be cancelled (text() locks it), so the body of a custom fetch,
    // which may ignore its abort, is read through its reader, which the signal's abort cancels.
    if (signal === undefined && isFetchResponse(response) && isBoundedByLength(response.headers, maxBytes)) {
      return response.text().then(wholeBody);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return readBodyTextSomehow(response, maxBytes, signal);
}

const wholeBody = (text: string): BodyText => ({ text, cut: false });

/** Every other body: a stream, a custom fetch's chunks, or only `text()`. */
async function readBodyTextSomehow(
  response: { body?: unknown; text(): Promise<string> },
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<BodyText> {
  // Checked here, not on the path of a runtime's Response of a bounded length (no garbage takes it: it must be a
  // Response whose length is at most `maxBytes`): a limit that is not a number would read a body of any size.
  if (typeof maxBytes !== "number" || Number.isNaN(maxBytes)) {
    throw argumentError("readBodyText()'s maxBytes", "a number", maxBytes);
  }
  if (typeof response !== "object" || response === null) {
    throw argumentError("readBodyText()'s response", "a Response", response);
  }
  const body = response.body;
  if (!isBodySource(body)) {
    if (typeof response.text !== "function")
      throw argumentError("readBodyText()'s response", "a Response", response);
    const whole = await response.text();
    return whole.length > maxBytes
      ? { text: whole.slice(0, maxBytes), cut: true }
      : { text: whole, cut: false };
  }
  if (typeof (body as ReadableStream<Uint8Array>).getReader !== "function") {
    return readChunks(body as AsyncIterable<Uint8Array | string>, maxBytes, signal);
  }
  return readStream(body as ReadableStream<Uint8Array>, maxBytes, signal);
}
