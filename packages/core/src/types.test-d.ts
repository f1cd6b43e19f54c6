import { describe, expectTypeOf, test } from "vitest";
import { createClient } from "./client.js";
import type {
  ERROR_CODE_LIST,
  ERROR_RETRYABLE,
  ERROR_STATUS,
  EVENT_STATUSES,
} from "./generated/spec-data.js";
import type { AlertEvent, ErrorCode, EventStatus } from "./types.js";

describe("generated types", () => {
  test("a valid event compiles", () => {
    const event: AlertEvent = { title_rule: "disk full", event_status: "Critical", labels: { host: "db-1" } };
    expectTypeOf(event.event_status).toEqualTypeOf<EventStatus>();
  });

  test("a wrong event_status does not compile", () => {
    // @ts-expect-error "critical" is not one of the case-sensitive statuses
    const event: AlertEvent = { title_rule: "disk full", event_status: "critical" };
    expectTypeOf(event).toEqualTypeOf<AlertEvent>();
  });

  test("a missing title_rule does not compile", () => {
    // @ts-expect-error title_rule is required
    const event: AlertEvent = { event_status: "Ok" };
    expectTypeOf(event).toEqualTypeOf<AlertEvent>();
  });

  test("runtime lists match the generated unions", () => {
    expectTypeOf<(typeof EVENT_STATUSES)[number]>().toEqualTypeOf<EventStatus>();
    expectTypeOf<(typeof ERROR_CODE_LIST)[number]>().toEqualTypeOf<ErrorCode>();
  });

  test("error-code facts are keyed by exactly the generated ErrorCode, with literal values", () => {
    expectTypeOf<keyof typeof ERROR_STATUS>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<keyof typeof ERROR_RETRYABLE>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<(typeof ERROR_STATUS)["RequestTooFrequently"]>().toEqualTypeOf<429>();
    expectTypeOf<(typeof ERROR_RETRYABLE)["InternalError"]>().toEqualTypeOf<true>();
  });

  test("the client requires the integration key and a typed body", () => {
    const client = createClient();
    expectTypeOf(client.POST).toBeFunction();
    void (() =>
      client.POST("/event/push/alert/standard", {
        params: { query: { integration_key: "k" } },
        // @ts-expect-error "Error" is not a status
        body: { title_rule: "t", event_status: "Error" },
      }));
  });
});
