import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { TELEMETRY_SLOT } from "./telemetry-slot.js";

const KEY = "l04d3rk3yl04d3rk3yl04d3rk3yl001";
const ok = async () => new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 });
const loaded = () => (globalThis as Record<symbol, unknown>)[TELEMETRY_SLOT] !== undefined;

afterEach(() => {
  trace.disable();
});

describe("the telemetry module is loaded only when wanted", () => {
  test("without a registered provider nor the telemetry option, pushes load nothing", async () => {
    const flashduty = createFlashCall({ integrationKey: KEY, baseUrl: "https://flashduty.test", fetch: ok });
    await flashduty.push({ title_rule: "t", event_status: "Info" });
    expect(loaded()).toBe(false);
  });

  test("once a provider is registered, the next push loads it and is traced, the very first one included", async () => {
    const exporter = new InMemorySpanExporter();
    const flashduty = createFlashCall({ integrationKey: KEY, baseUrl: "https://flashduty.test", fetch: ok });
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    await flashduty.push({ title_rule: "t", event_status: "Info" });
    expect(loaded()).toBe(true);
    expect(
      exporter
        .getFinishedSpans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(["POST", "pushAlertEvent"]);
  });
});
