import type { createTelemetry, PushTracer, Telemetry } from "./telemetry.js";
import { OTEL_GLOBAL, TELEMETRY_SLOT } from "./telemetry-slot.js";

/** What `@opentelemetry/api` 1.x registers on `globalThis` once a provider is set (its cross-copy contract). */
/**
 * The telemetry entry, imported by name through a variable: bundlers leave it out of the SDK's bundle (it costs the
 * SDK nothing), and Node, Bun and Deno load it from the package when telemetry is wanted. A bundled app (a browser,
 * a worker) that wants telemetry imports `flash-call/telemetry` itself, which registers it.
 */
const TELEMETRY_MODULE = "flash-call/telemetry";

type Factory = typeof createTelemetry;
/** The tracer of a push: at once when the telemetry module is loaded, after loading it otherwise. */
export type TelemetrySource = () => PushTracer | undefined | Promise<PushTracer | undefined>;

const globals = globalThis as { [TELEMETRY_SLOT]?: Factory; [OTEL_GLOBAL]?: unknown };
let loading: Promise<void> | undefined;

/**
 * The telemetry of an instance: nothing with `false`; with `{ tracer, meter }`, or without the option once
 * `@opentelemetry/api` has registered a provider, the telemetry module's tracer, loading the module the first time
 * (a failed load, as in a bundle without it, means no telemetry, never a failed push).
 *
 * @example
 * ```ts
 * const source = telemetrySource(options.telemetry);
 * const tracer = await source(); // undefined: record nothing
 * ```
 */
export function telemetrySource(option: Telemetry | false | undefined): TelemetrySource {
  let tracerOf: ReturnType<Factory> | undefined;
  const fromFactory = () => {
    tracerOf ??= globals[TELEMETRY_SLOT]?.(option);
    return tracerOf?.();
  };
  return () => {
    // Without the option and without a registered provider there is nothing to record: nothing is loaded.
    if (
      option === false ||
      (tracerOf ?? globals[TELEMETRY_SLOT] ?? option ?? globals[OTEL_GLOBAL]) === undefined
    ) {
      return undefined;
    }
    if (tracerOf !== undefined || globals[TELEMETRY_SLOT] !== undefined) return fromFactory();
    loading ??= import(/* webpackIgnore: true */ /* @vite-ignore */ TELEMETRY_MODULE).then(
      () => {},
      () => {},
    );
    return loading.then(fromFactory);
  };
}
