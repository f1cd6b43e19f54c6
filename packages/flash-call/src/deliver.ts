import { type AlertEvent, type ChangeEvent, PUSH_PATH, type PushSuccess } from "@flash-call/core";
import { FlashdutyAbortError, type FlashdutyError, planRetry, type RetryPolicy } from "@flash-call/errors";
import { attemptFacts } from "./attempt-facts.js";
import { type CallHook, createHookCaller, type HookName } from "./call-hook.js";
import { monotonicNow } from "./clock.js";
import type { Truncation } from "./event.js";
import { type EventIdentity, eventIdentity } from "./event-identity.js";
import type { AttemptInfo, Hooks, ResponseInfo } from "./hooks.js";
import type { Log } from "./log.js";
import { keyIdFor, type Pacer } from "./pacer.js";
import { pacerFailed } from "./pacer-failure.js";
import { rotatedTarget } from "./rotated-key.js";
import { sleep } from "./sleep.js";
import { shownBaseUrl, type Target } from "./target.js";
import type { PushTrace, PushTracer } from "./telemetry.js";
import type { TelemetrySource } from "./telemetry-loader.js";
import { type PushChannelContext, pushChannel } from "./tracing-channel.js";
import type { AttemptResult, PushQuery } from "./transport.js";
import { sendUninstrumented } from "./uninstrumented-send.js";

/** The instance-wide settings a delivery needs. */
export interface DeliverySettings {
  hooks: Hooks;
  log: Log;
  /** The pacer every attempt takes a slot from; `undefined` sends unpaced (`rateLimit: false`). */
  limiter: Pacer | undefined;
  /** The tracer of this push, looked up per push; `undefined` records nothing. @default none */
  telemetry?: TelemetrySource;
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
  /**
   * Resolves the call's destination again (`setKey` and the environment read now): a delivery whose key Flashduty
   * refuses is sent once more to it when its key is another one (see rotatedTarget). @default none: never resent
   */
  resolveAgain?: () => Target;
}

/**
 * Each target's query, key included, made once: a target is the same object at every push that names the same
 * destination (see createTargetResolver), and a target the resolver no longer keeps is collected with its query.
 * Frozen, so the transport may keep its encoding too.
 */
const queries = new WeakMap<Target, Readonly<PushQuery & Record<string, string>>>();

function queryOf(target: Target): PushQuery & Record<string, string> {
  let query = queries.get(target);
  if (query === undefined) {
    query = Object.freeze({ ...target.query, integration_key: target.key.reveal() });
    queries.set(target, query);
  }
  return query;
}

/**
 * Delivers one prepared event: paces it, sends it, retries what can succeed later, and tells the hooks, the
 * OpenTelemetry tracer and the `flash-call:push` tracing channel (each only when present).
 * Resolves with Flashduty's success body or rejects with the final typed error.
 */
export function deliver<Body extends { request_id: string } = PushSuccess>(
  settings: DeliverySettings,
  request: DeliveryRequest,
): Promise<Body> {
  const tracer = settings.telemetry?.();
  // Only while the telemetry module loads (the first push that wants it) is there a promise to wait for.
  if (tracer instanceof Promise) {
    return tracer.then((loaded) => deliverInChannel<Body>(settings, request, loaded));
  }
  return deliverInChannel<Body>(settings, request, tracer);
}

function deliverInChannel<Body extends { request_id: string }>(
  settings: DeliverySettings,
  request: DeliveryRequest,
  tracer: PushTracer | undefined,
): Promise<Body> {
  const { target } = request;
  const trace = tracer?.start(request);
  const channel = pushChannel();
  // Named the key and base URL the push is finally sent with: a resend to a rotated key changes them (see attempts).
  const context: PushChannelContext | undefined =
    channel === undefined
      ? undefined
      : {
          ...eventFields(eventIdentity(request.event)),
          integration: target.key.masked,
          baseUrl: shownBaseUrl(target),
        };
  const run = () =>
    attempts<Body>(settings, request, trace, context).then(
      (success) => {
        trace?.end(success);
        return success;
      },
      (error: unknown) => {
        trace?.end(undefined, error);
        throw error;
      },
    );
  if (channel === undefined || context === undefined)
    return trace === undefined ? attempts<Body>(settings, request, undefined, undefined) : run();
  return channel.tracePromise(run, context);
}

/** How hooks and the tracing channel name a push's event: its alert_key (a change has none) and status. */
function eventFields(identity: EventIdentity): Pick<AttemptInfo, "alert_key" | "event_status"> {
  return {
    alert_key: identity.endpoint === "alert" ? identity.key : undefined,
    event_status: identity.status,
  };
}

/** What every hook is told about an attempt. Built only when a hook will see it: most pushes have no hooks. */
function attemptInfoOf(request: DeliveryRequest, path: string, attempt: number): AttemptInfo {
  const identity = eventIdentity(request.event);
  return {
    ...eventFields(identity),
    ...(identity.endpoint === "change" && { change_key: identity.key }),
    integration: request.target.key.masked,
    baseUrl: shownBaseUrl(request.target),
    path,
    truncations: request.truncations,
    attempt,
  };
}

/**
 * The error of a push aborted before attempt `attempt` (or between it and the one before), told to the onError
 * hook first: sent, when an attempt before it was.
 */
function abortedAt(
  call: CallHook,
  request: DeliveryRequest,
  path: string,
  attempt: number,
): Promise<FlashdutyAbortError> {
  return failedBeforeSending(
    call,
    request,
    path,
    attempt,
    new FlashdutyAbortError(undefined, { cause: request.signal?.reason, sent: attempt > 1 }),
  );
}

/** `error`, that ended a push before its attempt was sent, told to the onError hook first. */
async function failedBeforeSending<Failure extends FlashdutyError>(
  call: CallHook,
  request: DeliveryRequest,
  path: string,
  attempt: number,
  error: Failure,
): Promise<Failure> {
  await call("onError", {
    ...attemptInfoOf(request, path, attempt),
    ok: false,
    status: undefined,
    durationMs: 0,
    requestId: undefined,
    code: error.code,
    error,
  });
  return error;
}

/** What the onResponse, onRetry and onError hooks are told about an attempt's outcome. */
function responseInfoOf(
  request: DeliveryRequest,
  path: string,
  attempt: number,
  result: AttemptResult<{ request_id: string }>,
  durationMs: number,
): ResponseInfo {
  return {
    ...attemptInfoOf(request, path, attempt),
    ok: result.ok,
    status: result.status,
    durationMs,
    requestId: result.ok ? result.body.request_id : result.error.requestId,
    code: result.ok ? undefined : result.error.code,
  };
}

/** The debug line of a delivery: what was delivered, and its attempt's number, status, request_id and duration. */
function deliveredLine(
  event: AlertEvent | ChangeEvent,
  body: { request_id: string },
  attempt: number,
  status: number,
  durationMs: number,
): string {
  const identity = eventIdentity(event);
  const what =
    identity.endpoint === "alert"
      ? `${identity.status} ${(body as PushSuccess).data.alert_key}`
      : `change ${identity.status} ${identity.key}`;
  return `delivered ${what} (attempt ${attempt}, ${attemptFacts({ status, requestId: body.request_id, durationMs })})`;
}

/** An instance without hooks: every hook call is a no-op, with no caller built per push. */
const callNoHook: CallHook = async () => {};

/**
 * Gives a pacer's slot back. A pacer's release that is not a function, or throws, must not fail a push whose answer
 * is had (nor replace its typed error): it is logged, and the pacer keeps the slot it failed to free.
 */
function releaseSlot(release: () => void, log: Log): void {
  try {
    release();
  } catch {
    log("error", "the pacer's release failed: its slot may not be freed");
  }
}

/** The id a pacer knows `key` by (see keyIdFor), or none without pacing; a module function, not a closure per push. */
const paceIdOf = (limiter: Pacer | undefined, key: string) =>
  limiter === undefined ? "" : keyIdFor(limiter, key);

async function attempts<Body extends { request_id: string }>(
  settings: DeliverySettings,
  given: DeliveryRequest,
  trace: PushTrace | undefined,
  channelContext: PushChannelContext | undefined,
): Promise<Body> {
  const { hooks, log, limiter } = settings;
  const { event, signal } = given;
  // Replaced, once, by the request to a rotated key's destination: the resend is one more attempt of this push
  // (one span, one onError when it fails for good, pacing under the new key), not a second push.
  let request = given;
  const path = request.path ?? PUSH_PATH;
  let query = queryOf(request.target);
  const pending = paceIdOf(limiter, query.integration_key);
  let keyId = typeof pending === "string" ? pending : await pending;
  // The attempt the resend to a rotated key was, so that its own failures have the retries a push has.
  let resentAt = 0;
  const hooked =
    hooks.onRequest !== undefined ||
    hooks.onResponse !== undefined ||
    hooks.onRetry !== undefined ||
    hooks.onError !== undefined;
  const call = hooked
    ? createHookCaller({ hooks, log, stuckHooks: settings.stuckHooks, timeoutMs: request.timeoutMs, signal })
    : callNoHook;

  // The clock is read only for someone who is told the duration: the tracer, a hook given a ResponseInfo, or a
  // log that writes the retry and delivery lines.
  const timed = trace !== undefined || hooked || log.logs("info");

  for (let attempt = 1; ; attempt++) {
    // An abort before the attempt (a signal aborted before the call, or during the backoff) sends nothing.
    if (signal?.aborted) throw await abortedAt(call, request, path, attempt);
    // Before the pacing slot is taken, so that a slow hook never holds a slot other pushes wait for.
    // Awaited only when set: an absent hook should not cost a push two promise turns.
    if (hooks.onRequest) await call("onRequest", attemptInfoOf(request, path, attempt));
    let release: (() => void) | undefined;
    const pacingFrom = trace === undefined ? 0 : monotonicNow();
    // Only a pacer is awaited: `await undefined` would still cost every unpaced push a promise turn.
    if (limiter !== undefined) {
      try {
        release = await limiter.acquire(keyId, signal);
      } catch (cause) {
        // Only an abort is an abort: a pacer that fails on its own is a fault of the pacer, said as one.
        if (signal?.aborted) throw await abortedAt(call, request, path, attempt);
        throw await failedBeforeSending(call, request, path, attempt, pacerFailed(cause));
      }
    }
    // Aborted during the hook or the pacing wait: this attempt is not sent, and the error says whether one was.
    if (signal?.aborted) {
      if (release !== undefined) releaseSlot(release, log);
      throw await abortedAt(call, request, path, attempt);
    }
    let result: AttemptResult<Body>;
    let started: number;
    let endAttempt: ReturnType<PushTrace["attempt"]> | undefined;
    try {
      started = timed ? monotonicNow() : 0;
      endAttempt = trace?.attempt(attempt, limiter && started - pacingFrom, started);
      result = await sendUninstrumented<Body>({
        fetch: settings.fetch,
        baseUrl: request.target.baseUrl,
        event,
        path,
        query,
        timeoutMs: request.timeoutMs,
        signal,
      });
    } finally {
      if (release !== undefined) releaseSlot(release, log);
    }
    const durationMs = timed ? monotonicNow() - started : 0;
    endAttempt?.({ status: result.status, code: result.ok ? undefined : result.error.code, durationMs });
    if (result.ok) {
      if (hooks.onResponse)
        await call("onResponse", responseInfoOf(request, path, attempt, result, durationMs));
      if (log.logs("debug")) {
        log("debug", deliveredLine(event, result.body, attempt, result.status, durationMs));
      }
      return result.body;
    }
    const response = responseInfoOf(request, path, attempt, result, durationMs);
    if (hooks.onResponse) await call("onResponse", response);
    // An abort (or any error the policy refuses, with no status) ends here too: it is never retried.
    const failure = result.error;
    const plan = planRetry(failure, attempt - resentAt, settings.retryPolicy, request.maxRetries);
    // Awaited: a shared pacer writes the pause to its store before this process's own retry asks it for a slot.
    const { backoff, maxRetryAfterMs } = settings.retryPolicy;
    // A 429 without Retry-After still pauses every sender of the key: at least the backoff's base (a second by
    // default, the per-second window), as the jittered wait of this one process may be close to nothing.
    const pauseMs =
      failure.status === 429 && failure.retryAfterMs === undefined
        ? Math.min(Math.max(plan.pauseMs, backoff.baseMs), maxRetryAfterMs)
        : plan.pauseMs;
    if (pauseMs > 0) {
      try {
        await limiter?.pause(keyId, pauseMs);
      } catch {
        // A pacer that cannot record the pause must not turn a retryable 429 into another failure.
      }
    }
    const rotated =
      plan.retry || resentAt > 0 || request.resolveAgain === undefined
        ? undefined
        : rotatedTarget(failure, request.target, request.resolveAgain);
    if (rotated !== undefined) {
      // Aborted since: nothing more is sent, nor said to be.
      if (signal?.aborted) throw await abortedAt(call, request, path, attempt + 1);
      log(
        "warn",
        "Flashduty refused the key; sending again with the key set since (setKey or the environment)",
      );
      await call("onRetry", { ...response, delayMs: 0, error: failure });
      trace?.retry(attempt, 0, failure);
      trace?.resend(attempt + 1, rotated);
      if (channelContext !== undefined) {
        channelContext.integration = rotated.key.masked;
        channelContext.baseUrl = shownBaseUrl(rotated);
      }
      resentAt = attempt;
      request = { ...request, target: rotated };
      query = queryOf(rotated);
      const next = paceIdOf(limiter, query.integration_key);
      keyId = typeof next === "string" ? next : await next;
      continue;
    }
    if (!plan.retry) {
      if (plan.retryAfterTooLong) {
        log("warn", `not retrying: Retry-After ${failure.retryAfterMs} ms is over maxRetryAfterMs`);
      }
      await call("onError", { ...response, error: failure });
      throw failure;
    }
    const delayMs = plan.delayMs;
    log(
      "info",
      `attempt ${attempt} failed with ${failure.code} (${attemptFacts(response)}); retrying in ${delayMs} ms`,
    );
    await call("onRetry", { ...response, delayMs, error: failure });
    trace?.retry(attempt, delayMs, failure);
    try {
      await sleep(delayMs, signal);
    } catch {
      throw await abortedAt(call, request, path, attempt + 1);
    }
  }
}
