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
 * telemetry.ts). Without a registered context manager (no OpenTelemetry, or no context to carry the suppression)
 * this is sendOnce itself, with nothing added to the push.
 *
 * @example
 * ```ts
 * const result = await sendUninstrumented({ fetch: undefined, baseUrl, event, query, timeoutMs: 10_000, signal: undefined });
 * ```
 */
export function sendUninstrumented<Body>(request: SendRequest): Promise<AttemptResult<Body>> {
  let sent: Promise<AttemptResult<Body>> | undefined;
  try {
    const manager = (globalThis as { [OTEL_GLOBAL]?: { context?: ContextManagerLike } })[OTEL_GLOBAL]
      ?.context;
    if (manager !== undefined) {
      const quiet = manager.active().setValue(SUPPRESS_TRACING, true);
      manager.with(quiet, () => {
        sent = sendOnce<Body>(request);
      });
    }
  } catch {
    // A context manager that throws must not cost the push: it is sent as it would be without one (below),
    // once only: `sent` says whether it already was.
  }
  return sent ?? sendOnce<Body>(request);
}
