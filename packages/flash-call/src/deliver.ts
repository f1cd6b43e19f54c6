import { type AlertEvent, type ChangeEvent, PUSH_PATH, type PushSuccess } from "@flash-call/core";
import { FlashdutyAbortError, planRetry, type RetryPolicy } from "@flash-call/errors";
import { createHookCaller, type HookName } from "./call-hook.js";
import type { Truncation } from "./event.js";
import type { AttemptInfo, Hooks, ResponseInfo } from "./hooks.js";
import type { Log } from "./log.js";
import type { RateLimiter } from "./rate-limiter.js";
import { sleep } from "./sleep.js";
import type { Target } from "./target.js";
import { sendOnce } from "./transport.js";

/** The instance-wide settings a delivery needs. */
export interface DeliverySettings {
  hooks: Hooks;
  log: Log;
  limiter: RateLimiter | undefined;
  /** Which failures are retried, how long to wait between attempts, the longest `Retry-After` honoured. */
  retryPolicy: RetryPolicy;
  /** The user's fetch; `undefined` looks `globalThis.fetch` up at each attempt. */
  fetch: typeof fetch | undefined;
  /** The hooks already reported for not settling in time: each is reported once per instance. */
  stuckHooks: Set<HookName>;
}

/** One push's own settings. */
export interface DeliveryRequest {
  event: AlertEvent | ChangeEvent;
  /** The endpoint's path: the change endpoint for a change event. @default PUSH_PATH */
  path?: string;
  truncations: readonly Truncation[];
  target: Target;
  timeoutMs: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
}

const now = () => (globalThis.performance ?? Date).now();

/**
 * Delivers one prepared event: paces it, sends it, retries what can succeed later, and tells the hooks.
 * Resolves with Flashduty's success body or rejects with the final typed error.
 */
export async function deliver<Body extends { request_id: string } = PushSuccess>(
  settings: DeliverySettings,
  request: DeliveryRequest,
): Promise<Body> {
  const { hooks, log, limiter } = settings;
  const { event, target, signal } = request;
  const path = request.path ?? PUSH_PATH;
  // A change tells hooks its change_key and status; an alert its alert_key and event_status.
  const change = "change_key" in event ? event : undefined;
  const alert = change === undefined ? (event as AlertEvent) : undefined;
  const secret = target.key.reveal();
  const query = { ...target.query, integration_key: secret };
  // Hook payloads are built only when a hook will see them: most pushes have no hooks, and this is the hot path.
  const attemptInfo = (attempt: number): AttemptInfo => ({
    alert_key: alert?.alert_key,
    event_status: alert?.event_status ?? (change as ChangeEvent).change_status,
    ...(change && { change_key: change.change_key }),
    integration: target.key.masked,
    baseUrl: target.baseUrl,
    path,
    truncations: request.truncations,
    attempt,
  });
  const call = createHookCaller({
    hooks,
    log,
    stuckHooks: settings.stuckHooks,
    timeoutMs: request.timeoutMs,
    signal,
  });
  const aborted = async (attempt: number) => {
    const error = new FlashdutyAbortError(undefined, { cause: signal?.reason });
    await call("onError", {
      ...attemptInfo(attempt),
      ok: false,
      status: undefined,
      durationMs: 0,
      requestId: undefined,
      code: error.code,
      error,
    });
    return error;
  };

  for (let attempt = 1; ; attempt++) {
    // An abort before the attempt (a signal aborted before the call, or during the backoff) sends nothing.
    if (signal?.aborted) throw await aborted(attempt);
    // Before the pacing slot is taken, so that a slow hook never holds a slot other pushes wait for.
    // Awaited only when set: an absent hook should not cost a push two promise turns.
    if (hooks.onRequest) await call("onRequest", attemptInfo(attempt));
    let release: (() => void) | undefined;
    try {
      release = await limiter?.acquire(secret, signal);
    } catch {
      throw await aborted(attempt);
    }
    let result: Awaited<ReturnType<typeof sendOnce<Body>>>;
    let started: number;
    try {
      started = now();
      result = await sendOnce<Body>({
        fetch: settings.fetch,
        baseUrl: target.baseUrl,
        event,
        path,
        query,
        timeoutMs: request.timeoutMs,
        signal,
      });
    } finally {
      release?.();
    }
    const durationMs = now() - started;
    const responseInfo = (): ResponseInfo => ({
      ...attemptInfo(attempt),
      ok: result.ok,
      status: result.status,
      durationMs,
      requestId: result.ok ? result.body.request_id : result.error.requestId,
      code: result.ok ? undefined : result.error.code,
    });
    if (result.ok) {
      if (hooks.onResponse) await call("onResponse", responseInfo());
      log(
        "debug",
        () =>
          `delivered ${alert ? `${alert.event_status} ${(result.body as unknown as PushSuccess).data.alert_key}` : `change ${change?.change_status} ${change?.change_key}`} (attempt ${attempt})`,
      );
      return result.body;
    }
    const response = responseInfo();
    if (hooks.onResponse) await call("onResponse", response);
    // An abort (or any error the policy refuses, with no status) ends here too: it is never retried.
    const failure = result.error;
    const plan = planRetry(failure, attempt, settings.retryPolicy, request.maxRetries);
    if (plan.pauseMs > 0) limiter?.pause(secret, plan.pauseMs);
    if (!plan.retry) {
      if (plan.retryAfterTooLong) {
        log("warn", `not retrying: Retry-After ${failure.retryAfterMs} ms is over maxRetryAfterMs`);
      }
      await call("onError", { ...response, error: failure });
      throw failure;
    }
    const delayMs = plan.delayMs;
    log("info", `attempt ${attempt} failed with ${failure.code}; retrying in ${delayMs} ms`);
    await call("onRetry", { ...response, delayMs, error: failure });
    try {
      await sleep(delayMs, signal);
    } catch {
      throw await aborted(attempt + 1);
    }
  }
}
