/**
 * The most of an error body read, in bytes (64 KiB): far more than any Flashduty or proxy error page needs to be
 * recognised, and small enough that a hostile or broken server answering with megabytes costs nothing.
 */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The most of a success body read, in bytes (64 KiB). Flashduty's success answer is about 100 bytes; a body cut
 * at this limit is not valid JSON, and so is reported as an unreadable answer rather than taken as a delivery.
 */
export const SUCCESS_BODY_LIMIT_BYTES = 64 * 1024;

/** A body as far as it was read. */
export interface BodyText {
  /** The body decoded as UTF-8, up to the limit (a character split by the limit becomes U+FFFD). */
  text: string;
  /** The body had more than the limit; the rest was not read (the stream was cancelled). */
  cut: boolean;
}

/**
 * Reads at most `maxBytes` of a fetch response's body as UTF-8 text and cancels the rest, so that a huge or
 * endless answer costs neither the memory nor the time of reading it whole. Uses `response.body`'s reader; falls
 * back to `response.text()` (cut to `maxBytes` characters) only when a runtime gives no body stream.
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
  response: Pick<Response, "body" | "text">,
  maxBytes: number,
): Promise<BodyText> {
  const stream = response.body;
  if (stream === null || stream === undefined) {
    const whole = await response.text();
    return whole.length > maxBytes
      ? { text: whole.slice(0, maxBytes), cut: true }
      : { text: whole, cut: false };
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), cut: false };
    const room = maxBytes - received;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room));
      // Not awaited: a server that never ends the body must not hold the answer we already have.
      reader.cancel().catch(() => {});
      return { text, cut: true };
    }
    received += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}
