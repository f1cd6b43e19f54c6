import { OTEL_GLOBAL } from "./telemetry-slot.js";
import { type AttemptResult, type SendRequest, sendOnce } from "./transport.js";

/**
 * The context key with which OpenTelemetry suppresses tracing (`suppressTracing` of `@opentelemetry/core`): the
 * SDK's tracers, and the HTTP and fetch instrumentations through them, start no span under a context holding it.
 */
const SUPPRESS_TRACING = Symbol.for("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

/** The context manager a 1.x `@opentelemetry/api` registers: only what is used here. */
interface ContextManagerLike {
  active(): { setValue(key: symbol, value: unknown): unknown };
  with(context: unknown, run: () => void): unknown;
}

/**
 * Sends one attempt (see sendOnce) where OpenTelemetry's instrumentations do not trace it. Their fetch or HTTP
 * span would record `url.full` with the query as sent, and so the integration key, in every exporter of the
 * process; and it would repeat the attempt's own span, which already follows the HTTP client conventions (see
 * telemetry.ts). sendOnce calls fetch before its first await, so a stack-based context manager (the browser's),
 * whose context holds only while `with` runs, suppresses it too; a custom fetch that awaits before making its
 * request makes it untraced only under an async one (NodeSDK's). Without a registered context manager (no
 * OpenTelemetry, or no context to carry the suppression) this is sendOnce itself, with nothing added to the push.
 *
 * @example
 * ```ts
 * const result = await sendUninstrumented({ fetch: undefined, baseUrl, event, query, timeoutMs: 10_000, signal: undefined });
 * ```
 */
export function sendUninstrumented<Body>(request: SendRequest): Promise<AttemptResult<Body>> {
  let manager: ContextManagerLike | undefined;
  try {
    manager = (globalThis as { [OTEL_GLOBAL]?: { context?: ContextManagerLike } })[OTEL_GLOBAL]?.context;
  } catch {
    manager = undefined;
  }
  // Apart, so that a push with no OpenTelemetry allocates nothing for the suppression's closure.
  return manager === undefined ? sendOnce<Body>(request) : sendSuppressed<Body>(manager, request);
}

/** sendOnce under `manager`'s context with tracing suppressed: sent exactly once, whatever `with` does. */
function sendSuppressed<Body>(
  manager: ContextManagerLike,
  request: SendRequest,
): Promise<AttemptResult<Body>> {
  let sent: Promise<AttemptResult<Body>> | undefined;
  try {
    const quiet = manager.active().setValue(SUPPRESS_TRACING, true);
    manager.with(quiet, () => {
      // `??=`: a `with` that calls its function twice, or later than it returns, must not send twice.
      sent ??= sendOnce<Body>(request);
    });
  } catch {
    // A context manager that throws must not cost the push: it is sent as it would be without one (below),
    // once only: `sent` says whether it already was.
  }
  // Assigned, so that a function `with` calls after returning finds the attempt already sent.
  sent ??= sendOnce<Body>(request);
  return sent;
}
