/** The part of a fetch `Response` the SDK reads: status, headers, and a body it reads as far as its limit. */
export interface TransportResponse {
  status: number;
  ok: boolean;
  redirected: false;
  type: "basic";
  url: string;
  headers: { get(name: string): string | null };
  /** Async-iterable (leaving a loop over it early destroys the response) and cancellable, as fetch's body is. */
  body: AsyncIterable<Uint8Array> & { cancel(): Promise<void> };
  text(): Promise<string>;
}

/**
 * Node's `fetch` says "fetch failed" with the socket's error as the cause: the same shape, so every message is as
 * before, whichever transport sent.
 *
 * @example
 * ```ts
 * reject(fetchFailed(socketError)); // TypeError("fetch failed", { cause: socketError })
 * ```
 */
export const fetchFailed = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });

/**
 * What an aborted request rejects with: the signal's reason, or fetch's `AbortError` where it has none.
 *
 * @example
 * ```ts
 * reject(abortReason(signal));
 * ```
 */
export const abortReason = (signal: AbortSignal): Error =>
  signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/**
 * What a stream's own async iterator rejects with when the stream closes before its end and without an error.
 *
 * @example
 * ```ts
 * throw prematureClose(); // Error "Premature close", code ERR_STREAM_PREMATURE_CLOSE
 * ```
 */
export const prematureClose = (): Error =>
  Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
