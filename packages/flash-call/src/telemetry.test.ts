import { FlashdutyConfigError } from "@flash-call/errors";
import { startMockServer } from "@flash-call/testing";
import { context, metrics, trace } from "@opentelemetry/api";
import {
  AggregationTemporality,
  type CollectionResult,
  MeterProvider,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { AsyncContextManager } from "../../../test-support/async-context-manager.js";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { createFlashCall } from "./flash-call.js";
import { PushTracer } from "./telemetry.js";

/** Collects on demand: the test reads the metrics when it wants them, no export interval. */
class CollectOnDemand extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

function otel() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectOnDemand();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    exporter,
    tracerProvider,
    meterProvider,
    tracer: tracerProvider.getTracer("test"),
    meter: meterProvider.getMeter("test"),
    collect: async (): Promise<CollectionResult> => reader.collect(),
  };
}

let mock: Awaited<ReturnType<typeof startMockServer>>;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  mock.reset();
  trace.disable();
  metrics.disable();
  context.disable();
});

/** The semantic conventions release the spans and metric follow (see the README's Telemetry section). */
const SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0";
const OTHER_KEY = "wr0ngk3yWr0ngK3yWr0ngK3yWr0ngK3y";
const EVENT = { title_rule: "disk full on db-1", event_status: "Critical", alert_key: "disk-db-1" } as const;

/** Every string in anything reachable from `value`: span names, attribute keys and values, events, metrics. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    return [];
  if (typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  return Object.entries(value).flatMap(([name, inner]) => [name, ...strings(inner, seen)]);
}

describe("OpenTelemetry", () => {
  test("a push is a span named after the operation, with a CLIENT child span per attempt following the HTTP conventions", async () => {
    const { exporter, tracer, meter, collect } = otel();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      telemetry: { tracer, meter },
      backoff: { baseMs: 0, maxMs: 0 },
      logLevel: "silent",
    });
    mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 0 });
    const result = await flashduty.push(EVENT);

    const spans = exporter.getFinishedSpans();
    const push = spans.find((span) => span.name === "pushAlertEvent");
    const attempts = spans.filter((span) => span.name === "POST");
    expect(push).toBeDefined();
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.parentSpanContext?.spanId).toBe(push?.spanContext().spanId);
      expect(attempt.kind).toBe(2); // SpanKind.CLIENT
    }
    const url = new URL(mock.pushUrl);
    expect(attempts[0]?.attributes).toMatchObject({
      "http.request.method": "POST",
      "server.address": "127.0.0.1",
      "server.port": Number(url.port),
      "url.full": `${url.origin}/event/push/alert/standard?integration_key=REDACTED`,
      "http.response.status_code": 429,
      "error.type": "RequestTooFrequently",
    });
    expect(attempts[0]?.attributes["http.request.resend_count"]).toBeUndefined();
    expect(attempts[0]?.status.code).toBe(2); // ERROR
    expect(attempts[1]?.attributes).toMatchObject({
      "http.response.status_code": 200,
      "http.request.resend_count": 1,
    });
    expect(attempts[1]?.attributes["error.type"]).toBeUndefined();
    expect(push?.attributes).toMatchObject({
      "flashduty.alert_key": "disk-db-1",
      "flashduty.event_status": "Critical",
      "flashduty.request_id": result.request_id,
    });
    const events = push?.events.map((event) => [event.name, event.attributes]) ?? [];
    expect(events).toContainEqual([
      "flash-call.retry",
      { "flash-call.retry.delay_ms": 0, "error.type": "RequestTooFrequently", attempt: 1 },
    ]);
    expect(events.filter(([name]) => name === "flash-call.pacing")).toHaveLength(2);

    const collected = await collect();
    const histogram = collected.resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === "http.client.request.duration");
    expect(histogram?.descriptor.unit).toBe("s");
    const points = histogram?.dataPoints ?? [];
    expect(points.map((point) => point.attributes["http.response.status_code"]).sort()).toEqual([200, 429]);
    expect(points.every((point) => (point.value as { count: number }).count === 1)).toBe(true);
  });

  test("an alert pushed without an alert_key is named on its span by the one Flashduty's answer gives it", async () => {
    const { exporter, tracer } = otel();
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, telemetry: { tracer }, logLevel: "silent" });
    const result = await flashduty.push({ title_rule: "disk full on db-2", event_status: "Warning" });

    const push = exporter.getFinishedSpans().find((span) => span.name === "pushAlertEvent");
    expect(result.data.alert_key).not.toBe("");
    expect(push?.attributes["flashduty.alert_key"]).toBe(result.data.alert_key);
  });

  test("a push that fails ends its span with an error status and error.type", async () => {
    const { exporter, tracer } = otel();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      telemetry: { tracer },
      maxRetries: 0,
      logLevel: "silent",
    });
    mock.failNext("InvalidParameter");
    await expect(flashduty.push(EVENT)).rejects.toMatchObject({ code: "InvalidParameter" });
    const push = exporter.getFinishedSpans().find((span) => span.name === "pushAlertEvent");
    expect(push?.status.code).toBe(2);
    expect(push?.attributes["error.type"]).toBe("InvalidParameter");
    expect(push?.attributes["flashduty.request_id"]).toEqual(expect.any(String));
  });

  test("found through the API's global registration, with no telemetry option, even when registered after the instance", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
    const { exporter, tracerProvider, meterProvider, collect } = otel();
    await flashduty.push(EVENT);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    await flashduty.push(EVENT);
    expect(
      exporter
        .getFinishedSpans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(["POST", "pushAlertEvent"]);
    const names = (await collect()).resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => `${scope.scope.name} ${metric.descriptor.name}`),
    );
    expect(names).toEqual(["flash-call http.client.request.duration"]);
  });

  test("telemetry: false records nothing, whatever is registered", async () => {
    const { exporter, tracerProvider } = otel();
    trace.setGlobalTracerProvider(tracerProvider);
    await createFlashCall({ pushUrl: mock.pushUrl, telemetry: false }).push(EVENT);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  test("no span, attribute, event or metric holds any 8-character piece of the key, whatever the answers", async () => {
    const { exporter, tracer, meter, collect } = otel();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      telemetry: { tracer, meter },
      backoff: { baseMs: 0, maxMs: 0 },
      maxRetries: 5,
      logLevel: "silent",
    });
    // Answers that might carry the URL (and so the key) into an error: a reset, a 502 page, a cut body, a 429.
    mock.failNext([
      { kind: "reset" },
      { kind: "html" },
      { kind: "truncated" },
      { kind: "error", code: "RequestTooFrequently", retryAfter: 0 },
    ]);
    await flashduty.push({ ...EVENT, description: "check" });
    mock.failNext("Unauthorized");
    await expect(flashduty.push(EVENT, { integrationKey: OTHER_KEY })).rejects.toMatchObject({
      code: "Unauthorized",
    });
    const spans: ReadableSpan[] = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThanOrEqual(7);
    const everything = [
      ...strings(spans.map((span) => [span.name, span.attributes, span.events, span.status, span.links])),
      ...strings(await collect()),
    ].join("\n");
    expect(leakedPieces(everything, [mock.integrationKey, OTHER_KEY])).toEqual([]);
    expect(everything).toContain("REDACTED");
  });
});

test("a key written into a base URL's path is refused; one known only later is masked in url.full", async () => {
  const { exporter, tracer } = otel();
  const options = { telemetry: { tracer }, maxRetries: 0, logLevel: "silent" } as const;
  const pasted = `${mock.url}/${mock.integrationKey}`;
  expect(() => createFlashCall({ baseUrl: pasted, integrationKey: mock.integrationKey, ...options })).toThrow(
    FlashdutyConfigError,
  );
  // A secret registered after the destination was resolved, such as another instance's key.
  const later = `later-${mock.integrationKey.split("").reverse().join("")}`;
  const flashduty = createFlashCall({
    baseUrl: `${mock.url}/${later}`,
    integrationKey: mock.integrationKey,
    ...options,
  });
  await expect(flashduty.push(EVENT)).rejects.toMatchObject({ status: 404 });
  createFlashCall({ integrationKey: later });
  exporter.reset();
  await expect(flashduty.push(EVENT)).rejects.toMatchObject({ status: 404 });
  const attempt = exporter.getFinishedSpans().find((span) => span.attributes["url.full"] !== undefined);
  expect(attempt?.attributes["url.full"]).toBeTypeOf("string");
  expect(leakedPieces(strings(attempt?.attributes).join("\n"), [mock.integrationKey, later])).toEqual([]);
  // The mask's `#` is part of the path shown, not the start of a fragment that would swallow the endpoint's path.
  const shown = new URL(String(attempt?.attributes["url.full"]));
  expect(shown.hash).toBe("");
  expect(shown.pathname).toMatch(/^\/\*{4}%23[0-9a-f]{6}\/event\/push\/alert\/standard$/);
  expect(shown.searchParams.get("integration_key")).toBe("REDACTED");
});

describe("a tracer or meter that throws", () => {
  const broken = () => {
    throw new Error("exporter down");
  };
  /** Every method of a span, tracer, histogram and meter, each throwing unless it is the one kept. */
  function throwingTelemetry(keep: string) {
    const thrower = <T>(name: string, value: () => T) => (name === keep ? value : broken);
    const span = {
      setAttribute: thrower("setAttribute", () => undefined),
      setStatus: thrower("setStatus", () => undefined),
      addEvent: thrower("addEvent", () => undefined),
      end: thrower("end", () => {}),
    };
    return {
      tracer: { startSpan: thrower("startSpan", () => span) },
      meter: { createHistogram: thrower("createHistogram", () => ({ record: broken })) },
    };
  }

  test.each(["none", "startSpan", "createHistogram"])(
    "fails no push and loses no event (kept working: %s)",
    async (keep) => {
      const flashCall = createFlashCall({
        pushUrl: mock.pushUrl,
        rateLimit: { perSecond: 1000, perMinute: 10_000 },
        telemetry: throwingTelemetry(keep) as never,
        logLevel: "silent",
      });
      const result = await flashCall.push(EVENT);
      expect(result.data.alert_key).toBe("disk-db-1");
      expect(mock.events).toHaveLength(1);
    },
  );
});

test("a meter that throws leaves no span of a working tracer open", async () => {
  const { tracer, exporter } = otel();
  const meter = {
    createHistogram: () => ({
      record: () => {
        throw new Error("meter exporter down");
      },
    }),
  };
  const flashCall = createFlashCall({
    pushUrl: mock.pushUrl,
    rateLimit: { perSecond: 1000, perMinute: 10_000 },
    telemetry: { tracer, meter } as never,
    logLevel: "silent",
  });
  await flashCall.push(EVENT);
  expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(["POST", "pushAlertEvent"]);
});

/** The data points of `http.client.request.duration`, by their attributes. */
async function durationPoints(collect: () => Promise<CollectionResult>) {
  const collected = await collect();
  const histogram = collected.resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === "http.client.request.duration");
  return (histogram?.dataPoints ?? []).map((point) => point.attributes);
}

describe("OpenTelemetry's HTTP client conventions", () => {
  test("a push the caller aborts during an attempt is no error: no Error status, no error.type, on spans or the metric", async () => {
    const { exporter, tracer, meter, collect } = otel();
    const caller = new AbortController();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      telemetry: { tracer, meter },
      logLevel: "silent",
      // The attempt is under way (its span started, its request sent) when the caller gives up on it.
      fetch: (input, init) => {
        const answer = fetch(input, init);
        caller.abort();
        return answer;
      },
    });
    await expect(flashduty.push(EVENT, { signal: caller.signal })).rejects.toMatchObject({ code: "Aborted" });
    const spans = exporter.getFinishedSpans();
    const attempt = spans.find((span) => span.name === "POST");
    const push = spans.find((span) => span.name === "pushAlertEvent");
    expect(attempt?.status.code).toBe(0); // UNSET
    expect(attempt?.attributes["error.type"]).toBeUndefined();
    expect(push?.status.code).toBe(0);
    expect(push?.attributes["error.type"]).toBeUndefined();
    const points = await durationPoints(collect);
    expect(points).toHaveLength(1);
    expect(points[0]?.["error.type"]).toBeUndefined();
  });

  test("error.type is low-cardinality: a code Flashduty does not document is recorded as the status, on spans and the metric", async () => {
    const { exporter, tracer, meter, collect } = otel();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      telemetry: { tracer, meter },
      backoff: { baseMs: 0, maxMs: 0 },
      maxRetries: 1,
      logLevel: "silent",
    });
    mock.failNext([{ kind: "html" }, { kind: "error", code: "Shard_7f3a9c_Unavailable", status: 400 }]);
    await expect(flashduty.push(EVENT)).rejects.toMatchObject({ code: "Shard_7f3a9c_Unavailable" });
    const spans = exporter.getFinishedSpans();
    const attempts = spans.filter((span) => span.name === "POST");
    expect(attempts.map((span) => span.attributes["error.type"])).toEqual(["502", "400"]);
    expect(attempts.map((span) => span.status.code)).toEqual([2, 2]);
    const push = spans.find((span) => span.name === "pushAlertEvent");
    expect(push?.attributes["error.type"]).toBe("400");
    expect(push?.events.find((event) => event.name === "flash-call.retry")?.attributes?.["error.type"]).toBe(
      "502",
    );
    expect((await durationPoints(collect)).map((point) => point["error.type"]).sort()).toEqual([
      "400",
      "502",
    ]);
  });

  test("a push span's parent is the caller's active span, with the telemetry option too", async () => {
    context.setGlobalContextManager(new AsyncContextManager());
    const { exporter, tracer } = otel();
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, telemetry: { tracer }, logLevel: "silent" });
    const request = tracer.startSpan("handle checkout");
    await context.with(trace.setSpan(context.active(), request), () => flashduty.push(EVENT));
    request.end();
    const push = exporter.getFinishedSpans().find((span) => span.name === "pushAlertEvent");
    expect(push?.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(push?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });

  test("the tracer and meter found through the registration name the conventions' schema", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
    const { exporter, tracerProvider, meterProvider, collect } = otel();
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    await flashduty.push(EVENT);
    const schemas = exporter.getFinishedSpans().map((span) => span.instrumentationScope.schemaUrl);
    expect(schemas).toEqual([SCHEMA_URL, SCHEMA_URL]);
    const scopes = (await collect()).resourceMetrics.scopeMetrics.map((scope) => scope.scope.schemaUrl);
    expect(scopes).toEqual([SCHEMA_URL]);
  });

  test("server.address is an IPv6 address as written, without the URL's brackets", () => {
    const { exporter, tracer } = otel();
    const pushTrace = new PushTracer(tracer, undefined, undefined).start({
      event: EVENT,
      target: { baseUrl: "http://[::1]:8080", query: {}, key: { masked: "****#abcdef" } },
    });
    pushTrace.attempt(1, undefined, 0)({ status: 200, code: undefined, durationMs: 1 });
    pushTrace.end({ request_id: "r1" });
    const attempt = exporter.getFinishedSpans().find((span) => span.name === "POST");
    expect(attempt?.attributes).toMatchObject({ "server.address": "::1", "server.port": 8080 });
  });

  test("a push that fails with an error the SDK has no code for is recorded as _OTHER, its message kept", () => {
    const { exporter, tracer } = otel();
    const pushTrace = new PushTracer(tracer, undefined, undefined).start({
      event: EVENT,
      target: { baseUrl: "https://api.flashcat.cloud", query: {}, key: { masked: "****#abcdef" } },
    });
    pushTrace.end(undefined, new TypeError("pacer store answered nothing"));
    const push = exporter.getFinishedSpans().find((span) => span.name === "pushAlertEvent");
    expect(push?.attributes["error.type"]).toBe("_OTHER");
    expect(push?.status).toEqual({ code: 2, message: "pacer store answered nothing" });
  });
});

test("an attempt's http.client.request.duration is its span's duration", async () => {
  const { exporter, tracer, meter, collect } = otel();
  const flashduty = createFlashCall({
    pushUrl: mock.pushUrl,
    telemetry: { tracer, meter },
    logLevel: "silent",
  });
  await flashduty.push(EVENT);
  const attempt = exporter.getFinishedSpans().find((span) => span.name === "POST");
  const [seconds = 0, nanos = 0] = attempt?.duration ?? [];
  const histogram = (await collect()).resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === "http.client.request.duration");
  const recorded = histogram?.dataPoints[0]?.value as { sum: number } | undefined;
  // The same two instants: only their rounding to a double of ms since the epoch (a quarter of a microsecond
  // today) may tell them apart.
  expect(Math.abs((recorded?.sum ?? -1) - (seconds + nanos / 1e9))).toBeLessThan(1e-6);
});
