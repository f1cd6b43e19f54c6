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

/** A fetch body's chunks, cancelling the stream when the reader stops early. */
async function* chunksOf(body: BodySource): AsyncGenerator<Uint8Array | string> {
  if (typeof (body as ReadableStream<Uint8Array>).getReader !== "function") {
    // A custom fetch's Node stream (node-fetch): leaving the loop early destroys it.
    yield* body as AsyncIterable<Uint8Array | string>;
    return;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Not awaited: a server that never ends the body must not hold the answer we already have.
    if (!done) reader.cancel().catch(() => {});
  }
}

function isBodySource(body: unknown): body is BodySource {
  if (typeof body !== "object" || body === null) return false;
  return (
    typeof (body as ReadableStream).getReader === "function" ||
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/**
 * Reads at most `maxBytes` of a fetch response's body as UTF-8 text and cancels the rest, so that a huge or
 * endless answer costs neither the memory nor the time of reading it whole. Reads `response.body` through its
 * stream reader (or, from a custom fetch such as node-fetch, as an async iterable of chunks); falls back to
 * `response.text()` (cut to `maxBytes` characters) only when there is no body stream.
 *
 * @param response a fetch `Response`, or anything with its `body` / `text()`
 * @param maxBytes the most bytes to read, e.g. {@link ERROR_BODY_LIMIT_BYTES}
 * @example
 * ```ts
 * const { text, cut } = await readBodyText(response, ERROR_BODY_LIMIT_BYTES);
 * if (!response.ok) throw errorFromResponse(response.status, text, response.headers, cut ? { bodyCutAtBytes: ERROR_BODY_LIMIT_BYTES } : {});
 * ```
 */
export async function readBodyText(
  response: { body?: unknown; text(): Promise<string> },
  maxBytes: number,
): Promise<BodyText> {
  const body = response.body;
  if (!isBodySource(body)) {
    const whole = await response.text();
    return whole.length > maxBytes
      ? { text: whole.slice(0, maxBytes), cut: true }
      : { text: whole, cut: false };
  }
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for await (const chunk of chunksOf(body)) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    const room = maxBytes - received;
    if (bytes.byteLength > room) {
      // Leaving the loop cancels the stream (see chunksOf).
      return { text: text + decoder.decode(bytes.subarray(0, room)), cut: true };
    }
    received += bytes.byteLength;
    text += decoder.decode(bytes, { stream: true });
  }
  return { text: text + decoder.decode(), cut: false };
}
