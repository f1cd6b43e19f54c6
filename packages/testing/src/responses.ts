import { ERROR_STATUS } from "@flash-call/core/constants";
import { ERROR_MESSAGES, isErrorCode } from "./error-messages.js";

const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON response with Flashduty's content type. */
export function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

/** Flashduty's success body for an alert: `{ request_id, data: { alert_key } }`. */
function successBody(requestId: string, alertKey: string) {
  return { request_id: requestId, data: { alert_key: alertKey } };
}

/** A success body `{ request_id, data: { alert_key } }`. */
export function successResponse(requestId: string, alertKey: string): Response {
  return jsonResponse(successBody(requestId, alertKey), 200);
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** HTTP status; defaults to the code's documented status (500 for an unknown code). */
  status?: number | undefined;
  /** Error message; defaults to the code's documented message. */
  message?: string | undefined;
  /** Extra headers, e.g. `Retry-After`. */
  headers?: Record<string, string> | undefined;
}

/** A failure body `{ request_id, error: { code, message } }` with the code's HTTP status. */
export function errorResponse(requestId: string, code: string, options: ErrorResponseOptions = {}): Response {
  const documented = isErrorCode(code);
  const status = options.status ?? (documented ? ERROR_STATUS[code] : 500);
  const message = options.message ?? (documented ? ERROR_MESSAGES[code] : "unknown error");
  return jsonResponse({ request_id: requestId, error: { code, message } }, status, options.headers);
}

/** A proxy's HTML error page, as nginx in front of an API would send it. */
export function htmlResponse(status: number): Response {
  const title = `${status} ${status === 502 ? "Bad Gateway" : status === 503 ? "Service Unavailable" : status === 504 ? "Gateway Time-out" : "Error"}`;
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return new Response(page, { status, headers: { "content-type": "text/html" } });
}

/** A 200 whose JSON body stops half way, as when a connection drops mid-response behind a proxy. */
export function truncatedResponse(requestId: string, alertKey: string): Response {
  const whole = JSON.stringify(successBody(requestId, alertKey));
  return new Response(whole.slice(0, Math.floor(whole.length / 2)), {
    status: 200,
    headers: { "content-type": JSON_TYPE },
  });
}

/**
 * A 200 that announces the whole success body's Content-Length but sends only its first half; what follows is
 * `rest`'s to decide: the body fails with the error it resolves to (a server then destroys the connection mid-body,
 * a fetch client's read of the body rejects). `rest` is asked once the first half has been read, and is given a
 * signal that aborts when the reader cancels the body, so that a wait it holds ends with the reader.
 *
 * @example
 * ```ts
 * partialSuccessResponse(requestId, alertKey, async () => new Error("cut")); // the connection dies mid-body
 * ```
 */
export function partialSuccessResponse(
  requestId: string,
  alertKey: string,
  rest: (cancelled: AbortSignal) => Promise<unknown>,
): Response {
  const whole = new TextEncoder().encode(JSON.stringify(successBody(requestId, alertKey)));
  const firstHalf = whole.subarray(0, Math.floor(whole.length / 2));
  const cancelled = new AbortController();
  let halfSent = false;
  // Pulled, not started with both steps: an error raised while the half still waits in the queue would drop it.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!halfSent) {
        halfSent = true;
        controller.enqueue(firstHalf);
        return;
      }
      controller.error(await rest(cancelled.signal));
    },
    cancel(reason) {
      cancelled.abort(reason);
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": String(whole.length) },
  });
}
