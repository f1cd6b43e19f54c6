// The OpenTelemetry side of the SDK, in its own entry (`flash-call/telemetry`) so that it costs the SDK's bundle
// nothing: the SDK loads it only when telemetry is wanted (see telemetry-loader.ts), and a bundled app that wants it
// imports it once (`import "flash-call/telemetry"`). Loading it registers its factory on `globalThis`.

import { PUSH_PATH } from "@flash-call/core";
import { redact } from "@flash-call/errors";
import { epochMsOf } from "./clock.js";
import type { DeliveryRequest } from "./deliver.js";
import { CANCELLED, errorTypeOf } from "./error-type.js";
import { eventIdentity } from "./event-identity.js";
import type { Target } from "./target.js";
import { OTEL_GLOBAL, TELEMETRY_SLOT } from "./telemetry-slot.js";

/** An attribute value, as OpenTelemetry takes it. */
export type TelemetryValue = string | number | boolean;
/** Span, event and metric attributes. */
export type TelemetryAttributes = Record<string, TelemetryValue>;

/** The part of an OpenTelemetry `Span` the SDK uses. */
export interface TelemetrySpan {
  setAttribute(key: string, value: TelemetryValue): unknown;
  addEvent(name: string, attributes?: TelemetryAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: number): void;
}

/** The part of an OpenTelemetry `Tracer` the SDK uses: `trace.getTracer("flash-call")` is one. */
export interface TelemetryTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: TelemetryAttributes; startTime?: number },
    context?: unknown,
  ): TelemetrySpan;
}

/** The part of an OpenTelemetry `Meter` the SDK uses: `metrics.getMeter("flash-call")` is one. */
export interface TelemetryMeter {
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: TelemetryAttributes): void };
}

/**
 * Where traces and metrics go. Without it, the SDK uses the OpenTelemetry API's global registration (what
 * `@opentelemetry/api`'s `trace.setGlobalTracerProvider`, `NodeSDK.start()` or a provider's `register()` set);
 * with neither, it records nothing and loads nothing.
 *
 * @example
 * ```ts
 * import { metrics, trace } from "@opentelemetry/api";
 * createFlashCall({ telemetry: { tracer: trace.getTracer("billing"), meter: metrics.getMeter("billing") } });
 * ```
 */
export interface Telemetry {
  /** @default none: no spans */
  tracer?: TelemetryTracer;
  /** @default none: no `http.client.request.duration` */
  meter?: TelemetryMeter;
}

/** An OpenTelemetry context: the API's, or {@link RootContext} when no context manager is registered. */
interface ContextLike {
  setValue(key: symbol, value: unknown): ContextLike;
}

/** The instrumentation scope's options: the schema of the conventions its telemetry follows. */
interface ScopeOptions {
  schemaUrl: string;
}

/** What `@opentelemetry/api` (any 1.x copy) registers on `globalThis` when a provider is set. */
interface OtelGlobal {
  trace?: { getTracer(name: string, version?: string, options?: ScopeOptions): TelemetryTracer };
  metrics?: { getMeter(name: string, version?: string, options?: ScopeOptions): TelemetryMeter };
  context?: { active(): ContextLike };
}

// A `Symbol.for` name in the API, so that duplicate copies of it share it: its 1.x contract.
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");
const SCOPE = "flash-call";
/**
 * The semantic conventions release the spans and metric follow (HTTP client spans and `http.client.request.duration`,
 * stable since 1.23.0), named on the tracer and meter the SDK gets from the registration so that a backend can
 * translate them.
 */
const SCOPE_OPTIONS: ScopeOptions = { schemaUrl: "https://opentelemetry.io/schemas/1.44.0" };
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
/** OpenTelemetry's recommended buckets for `http.client.request.duration`, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** A context without a context manager: enough to make a span the parent of another. */
class RootContext implements ContextLike {
  readonly #values: Map<symbol, unknown>;
  constructor(values = new Map<symbol, unknown>()) {
    this.#values = values;
  }
  getValue(key: symbol): unknown {
    return this.#values.get(key);
  }
  setValue(key: symbol, value: unknown): ContextLike {
    return new RootContext(new Map(this.#values).set(key, value));
  }
  deleteValue(key: symbol): ContextLike {
    const values = new Map(this.#values);
    values.delete(key);
    return new RootContext(values);
  }
}

/** The facts of one attempt's answer that its span and the duration metric record. */
export interface AttemptOutcome {
  status: number | undefined;
  /** The failure's code (`RequestTooFrequently`, `Timeout`…), recorded as `error.type` by errorTypeOf. */
  code: string | undefined;
  durationMs: number;
}

/** The parts of a failure (a `FlashdutyError`, or anything thrown) that its `error.type` is read from. */
export interface TracedFailure {
  code?: unknown;
  status?: unknown;
}

/** One push's trace: its span, and a child span per attempt. */
export interface PushTrace {
  /**
   * Starts one attempt's span at `startedAt` (a {@link monotonicNow} reading), and records the pacing wait before
   * it, in ms, when it was paced; its `end` records the answer and the duration metric, and ends the span
   * `durationMs` after `startedAt`, so that the metric and the span measure the same time.
   */
  attempt(attempt: number, pacedMs: number | undefined, startedAt: number): (outcome: AttemptOutcome) => void;
  /** Records a retry after `delayMs`, for `failure`. */
  retry(attempt: number, delayMs: number, failure: TracedFailure): void;
  /**
   * Records that the push is sent on to `target` after Flashduty refused the key of the last attempt (see
   * rotatedTarget): the span names the key it is finally sent with, the later attempts' spans its URL, and a
   * `flash-call.key_rotated` event names the refused key (masked).
   */
  resend(attempt: number, target: TracedTarget): void;
  /**
   * Ends the push's span with its result, or its error (a `FlashdutyError`). An alert pushed without an
   * `alert_key` is named on the span by the one Flashduty's answer gives it.
   */
  end(result: { request_id: string; data?: unknown } | undefined, error?: unknown): void;
}

/** Where a push goes, as its trace shows it: only its values that hold no key are read. */
export type TracedTarget = Pick<Target, "baseUrl" | "query"> & { key: { masked: string } };

/** The push a trace starts for. */
export type PushTraceStart = Pick<DeliveryRequest, "event" | "path"> & { target: TracedTarget };

/** The `alert_key` Flashduty's answer to an alert push gives (generated when the event had none). */
function answeredAlertKey(result: { data?: unknown } | undefined): string | undefined {
  const data = result?.data;
  if (typeof data !== "object" || data === null) return undefined;
  const alertKey = (data as { alert_key?: unknown }).alert_key;
  return typeof alertKey === "string" ? alertKey : undefined;
}

/**
 * Telemetry never fails a push: a tracer or meter that throws (a broken exporter, a test double) records nothing
 * more for that call, and the push goes on as if there were none.
 */
function quietly<Result>(record: () => Result, otherwise: Result): Result {
  try {
    return record();
  } catch {
    return otherwise;
  }
}

const endNothing = (): void => {};
/** The trace of a push whose tracer failed to start one. */
const NO_TRACE: PushTrace = {
  attempt: () => endNothing,
  retry: endNothing,
  resend: endNothing,
  end: endNothing,
};

/** The push operations' names in the spec (their operationIds): the name of a push's span. */
const OPERATION = { alert: "pushAlertEvent", change: "pushChangeEvent" } as const;

/**
 * Returns the tracer-and-meter source of an instance: the given `telemetry`, nothing with `false`, else whatever
 * the OpenTelemetry API registered globally, looked up at each push (a provider registered after the instance was
 * created is used) and never imported.
 */
export function createTelemetry(given: Telemetry | false | undefined): () => PushTracer | undefined {
  if (given === false) return () => undefined;
  if (given !== undefined) {
    const tracer = quietly(() => new PushTracer(given.tracer, given.meter, undefined), undefined);
    return () => tracer;
  }
  let cached: PushTracer | undefined;
  let cachedFor: OtelGlobal | undefined;
  return () => {
    const api = (globalThis as { [OTEL_GLOBAL]?: OtelGlobal })[OTEL_GLOBAL];
    if (api === undefined || (api.trace === undefined && api.metrics === undefined)) return undefined;
    if (cachedFor !== api || cached?.stale(api)) {
      cachedFor = api;
      cached = quietly(
        () =>
          new PushTracer(
            api.trace?.getTracer(SCOPE, undefined, SCOPE_OPTIONS),
            api.metrics?.getMeter(SCOPE, undefined, SCOPE_OPTIONS),
            api,
          ),
        undefined,
      );
    }
    return cached;
  };
}

/** Starts push spans and records attempt durations with one tracer and meter. */
export class PushTracer {
  readonly #tracer: TelemetryTracer | undefined;
  readonly #duration: ReturnType<TelemetryMeter["createHistogram"]> | undefined;
  readonly #api: OtelGlobal | undefined;
  readonly #providers: [unknown, unknown];

  constructor(
    tracer: TelemetryTracer | undefined,
    meter: TelemetryMeter | undefined,
    api: OtelGlobal | undefined,
  ) {
    this.#tracer = tracer;
    this.#api = api;
    this.#providers = [api?.trace, api?.metrics];
    this.#duration = quietly(
      () =>
        meter?.createHistogram("http.client.request.duration", {
          description: "Duration of HTTP client requests.",
          unit: "s",
          advice: { explicitBucketBoundaries: DURATION_BUCKETS },
        }),
      undefined,
    );
  }

  /** Whether the global registration changed providers since this tracer was made. */
  stale(api: OtelGlobal): boolean {
    return this.#providers[0] !== api.trace || this.#providers[1] !== api.metrics;
  }

  /** Starts a push's span; its methods never throw (see quietly). */
  start(push: PushTraceStart): PushTrace {
    return quietly(() => this.#start(push), NO_TRACE);
  }

  #start({ event, target, path = PUSH_PATH }: PushTraceStart): PushTrace {
    const tracer = this.#tracer;
    const duration = this.#duration;
    // A tracer given as an option joins the caller's trace too: the active context is the registered manager's.
    const api = this.#api ?? (globalThis as { [OTEL_GLOBAL]?: OtelGlobal })[OTEL_GLOBAL];
    const parent = api?.context?.active() ?? new RootContext();
    const identity = eventIdentity(event);
    const span = tracer?.startSpan(
      OPERATION[identity.endpoint],
      {
        attributes: {
          "flashduty.integration": target.key.masked,
          ...(identity.status === "" ? {} : { [`flashduty.${identity.statusName}`]: identity.status }),
          ...(identity.key === undefined ? {} : { [`flashduty.${identity.keyName}`]: identity.key }),
        },
      },
      parent,
    );
    const child = span === undefined ? undefined : parent.setValue(SPAN_KEY, span);
    let integration = target.key.masked;
    let { url, common } = endpointOf(target, path);
    const trace: PushTrace = {
      attempt: (attempt, pacedMs, startedAt) => {
        if (pacedMs !== undefined) {
          span?.addEvent("flash-call.pacing", { "flash-call.pacing.wait_ms": Math.round(pacedMs), attempt });
        }
        const attemptSpan = tracer?.startSpan(
          "POST",
          {
            kind: SPAN_KIND_CLIENT,
            startTime: epochMsOf(startedAt),
            attributes: {
              ...common,
              "url.full": url.href,
              ...(attempt > 1 ? { "http.request.resend_count": attempt - 1 } : {}),
            },
          },
          child,
        );
        return ({ status, code, durationMs }) => {
          const outcome: TelemetryAttributes = { ...common };
          if (status !== undefined && status !== 0) outcome["http.response.status_code"] = status;
          // The caller's abort is no error (the conventions' cancellation rule): recorded, without error.type.
          const failed = code !== undefined && code !== CANCELLED;
          if (failed) outcome["error.type"] = errorTypeOf(code, status);
          // Each on its own: a meter that throws must not leave the tracer's span open, nor a span the metric.
          quietly(() => duration?.record(durationMs / 1000, outcome), undefined);
          if (attemptSpan === undefined) return;
          quietly(() => {
            for (const [name, value] of Object.entries(outcome)) attemptSpan.setAttribute(name, value);
            // No description: the status code or error.type says it all.
            if (failed) attemptSpan.setStatus({ code: STATUS_ERROR });
          }, undefined);
          attemptSpan.end(epochMsOf(startedAt + durationMs));
        };
      },
      retry: (attempt, delayMs, failure) =>
        span?.addEvent("flash-call.retry", {
          "flash-call.retry.delay_ms": delayMs,
          "error.type": errorTypeOf(failure.code, failure.status),
          attempt,
        }),
      resend: (attempt, next) => {
        ({ url, common } = endpointOf(next, path));
        span?.addEvent("flash-call.key_rotated", { "flashduty.integration.refused": integration, attempt });
        integration = next.key.masked;
        span?.setAttribute("flashduty.integration", integration);
      },
      end: (result, error) => {
        if (span === undefined) return;
        const failure = error as (TracedFailure & { requestId?: unknown; message?: unknown }) | undefined;
        // Attributes that fail to be set must not leave the span open.
        quietly(() => {
          const requestId = result?.request_id ?? failure?.requestId;
          if (typeof requestId === "string") span.setAttribute("flashduty.request_id", requestId);
          const answeredKey = identity.key === undefined ? answeredAlertKey(result) : undefined;
          if (answeredKey !== undefined) span.setAttribute("flashduty.alert_key", answeredKey);
          if (result === undefined && failure?.code !== CANCELLED) {
            const errorType = errorTypeOf(failure?.code, failure?.status);
            span.setAttribute("error.type", errorType);
            // A FlashdutyError's message is redacted already; anything else thrown is redacted here.
            const message = typeof failure?.message === "string" ? redact(failure.message) : undefined;
            span.setStatus({ code: STATUS_ERROR, ...(message ? { message } : {}) });
          }
        }, undefined);
        span.end();
      },
    };
    return {
      attempt: (attempt, pacedMs, startedAt) => {
        const endAttempt = quietly(() => trace.attempt(attempt, pacedMs, startedAt), endNothing);
        return (outcome) => quietly(() => endAttempt(outcome), undefined);
      },
      retry: (attempt, delayMs, failure) => quietly(() => trace.retry(attempt, delayMs, failure), undefined),
      resend: (attempt, next) => quietly(() => trace.resend(attempt, next), undefined),
      end: (result, error) => quietly(() => trace.end(result, error), undefined),
    };
  }
}

/** The URL of a push to `target` as its attempts' spans show it, and the attributes every attempt records. */
function endpointOf(target: TracedTarget, path: string): { url: URL; common: TelemetryAttributes } {
  const url = redactedUrl(`${target.baseUrl}${path}`, [...Object.keys(target.query), "integration_key"]);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  // An IPv6 host is bracketed in a URL, never in `server.address` (the address as written: `::1`).
  const address = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    url,
    common: { "http.request.method": "POST", "server.address": address, "server.port": port },
  };
}

/**
 * The URL of a push as telemetry shows it: every query value `REDACTED` (`integration_key` holds the key, and a
 * push URL's other parameters are the user's), as OpenTelemetry's `url.full` asks for credentials.
 */
export function redactedUrl(endpoint: string, queryNames: readonly string[]): URL {
  // A key may also sit in a base URL's path, where no query rule reaches it. Its mask (`****#1a2b3c`) is
  // escaped: its `#` would start a fragment, and the endpoint's path and query would be taken into it.
  const url = new URL(redact(endpoint).replaceAll("#", "%23"));
  for (const name of queryNames) url.searchParams.set(name, "REDACTED");
  return url;
}

// Registered for the SDK, which never imports this module statically (telemetry-loader.ts).
(globalThis as { [TELEMETRY_SLOT]?: typeof createTelemetry })[TELEMETRY_SLOT] ??= createTelemetry;
