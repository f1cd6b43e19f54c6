import type { HttpHandler } from "msw";
import { describe, expectTypeOf, test } from "vitest";
import {
  type AlertRecord,
  createMockFlashduty,
  type Fault,
  type MockServer,
  type ReceivedEvent,
  type RenderedTitle,
  renderTitle,
  startMockServer,
} from "./index.js";
import { startMockServer as startFromServerEntry } from "./server.js";

describe("public types", () => {
  test("faults: error codes as shorthand, objects by kind", () => {
    expectTypeOf<"InternalError">().toExtend<Fault>();
    expectTypeOf<{ kind: "delay"; ms: number }>().toExtend<Fault>();
    // @ts-expect-error an unknown code is not shorthand (use { kind: "error", code })
    const unknownCode: Fault = "Teapot";
    // @ts-expect-error a delay needs its duration
    const delayWithoutMs: Fault = { kind: "delay" };
    expectTypeOf([unknownCode, delayWithoutMs]).toEqualTypeOf<Fault[]>();
  });

  test("records carry the wire names", () => {
    expectTypeOf<ReceivedEvent["alert_key"]>().toEqualTypeOf<string>();
    expectTypeOf<AlertRecord["status"]>().toEqualTypeOf<"open" | "resolved">();
    expectTypeOf<ReceivedEvent["rendered_title"]["form"]>().toEqualTypeOf<
      "plain" | "simplified" | "template" | "unrendered"
    >();
  });

  test("the inspector: its address, and a switch that only the server has", () => {
    expectTypeOf<MockServer["inspectorUrl"]>().toEqualTypeOf<string | undefined>();
    startMockServer({ inspector: false });
    // @ts-expect-error the msw mock serves no page
    createMockFlashduty({ inspector: false });
    expectTypeOf(renderTitle).returns.toEqualTypeOf<RenderedTitle>();
  });

  test("both entries expose the same startMockServer", () => {
    expectTypeOf(startFromServerEntry).toEqualTypeOf(startMockServer);
    expectTypeOf(startMockServer).returns.resolves.toEqualTypeOf<MockServer>();
    expectTypeOf(createMockFlashduty).parameter(0).exclude<undefined>().toHaveProperty("baseUrl");
  });

  test("handlers are msw's, although msw is loaded only when they are read", () => {
    expectTypeOf(createMockFlashduty().handlers).toEqualTypeOf<HttpHandler[]>();
  });

  test("rateLimit is limits or false", () => {
    createMockFlashduty({ rateLimit: false });
    createMockFlashduty({ rateLimit: { perMinute: 10 } });
    // @ts-expect-error true is not an option: limits are on by default
    createMockFlashduty({ rateLimit: true });
  });
});
