import { type AlertEvent, type FlashdutyClient, PUSH_PATH, type PushSuccess } from "@flash-call/core";
import {
  errorFromResponse,
  FlashdutyAbortError,
  FlashdutyError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  scrubUrl,
} from "@flash-call/errors";

/** The outcome of one HTTP attempt. */
export type AttemptResult =
  | { ok: true; body: PushSuccess; status: number }
  | { ok: false; error: FlashdutyError; status: number | undefined };

const parse = (text: unknown): unknown => {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const isSuccess = (body: unknown): body is PushSuccess => {
  const candidate = body as Partial<PushSuccess> & { error?: unknown };
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    candidate.error === undefined &&
    typeof candidate.data?.alert_key === "string"
  );
};

/**
 * Sends one event once. Never throws: every failure (HTTP error, unreadable body, reset, timeout, abort) comes
 * back as a typed error, with nothing from the URL (which holds the key) in it.
 */
export async function sendOnce(
  client: FlashdutyClient,
  event: AlertEvent,
  query: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<AttemptResult> {
  // AbortSignal.timeout costs next to nothing per attempt (an AbortController and a timer cost ~4% of a local
  // round trip), and its timer never keeps a process alive.
  const timeout = AbortSignal.timeout(timeoutMs);
  const requestSignal = signal ? anySignal(signal, timeout) : timeout;
  let status: number | undefined;
  try {
    const { data, error, response } = await client.POST(PUSH_PATH, {
      params: { query: query as { integration_key: string } },
      body: event,
      parseAs: "text",
      signal: requestSignal,
    });
    status = response.status;
    const body = response.ok ? parse(data) : error;
    if (response.ok && isSuccess(body)) return { ok: true, body, status };
    return { ok: false, error: errorFromResponse(status, body, response.headers), status };
  } catch (thrown) {
    if (signal?.aborted)
      return { ok: false, error: new FlashdutyAbortError(undefined, { cause: signal.reason }), status };
    if (timeout.aborted)
      return { ok: false, error: new FlashdutyTimeoutError(undefined, { timeoutMs }), status };
    if (FlashdutyError.isInstance(thrown)) return { ok: false, error: thrown, status };
    const cause = thrown as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
    // Runtime errors may quote the request URL, and with it the key: keep only a scrubbed description.
    const detail = [cause?.message, cause?.cause?.code ?? cause?.cause?.message]
      .filter((part) => typeof part === "string" && part !== "")
      .map((part) => scrubUrl(String(part)))
      .join(": ");
    return {
      ok: false,
      error: new FlashdutyNetworkError(detail ? `Could not reach Flashduty: ${detail}` : undefined),
      status,
    };
  }
}

/** Aborts when either signal does (AbortSignal.any where the runtime has it). */
function anySignal(first: AbortSignal, second: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any([first, second]);
  const controller = new AbortController();
  const abort = (source: AbortSignal) => () => controller.abort(source.reason);
  for (const source of [first, second]) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener("abort", abort(source), { once: true });
  }
  return controller.signal;
}
