import { describe, expect, expectTypeOf, test } from "vitest";
import { CHANGE_LIMITS, CHANGE_OVERFLOW, CHANGE_PUSH_PATH, CHANGE_STATUSES, PUSH_PATH } from "./constants.js";
import { CHANGE_EVENT_SCHEMA } from "./schema.js";
import type { ChangeEvent, ChangeStatus } from "./types.js";

/**
 * The standard change event's facts from Flashduty's documentation (shared/reference/flashduty-api.md), typed in
 * again on purpose: the spec, and the constants generated from it, must agree with them.
 */
describe("change-event facts generated from the spec", () => {
  test("the change endpoint has its own path, beside the alert's", () => {
    expect(CHANGE_PUSH_PATH).toBe("/event/push/change/standard");
    expect(PUSH_PATH).toBe("/event/push/alert/standard");
  });

  test("the documented statuses, in Flashduty's spelling", () => {
    expect([...CHANGE_STATUSES]).toEqual(["Planned", "Ready", "Processing", "Canceled", "Done"]);
    expectTypeOf<(typeof CHANGE_STATUSES)[number]>().toEqualTypeOf<ChangeStatus>();
  });

  test("the documented limits, and no invented ones", () => {
    expect(CHANGE_LIMITS).toEqual({
      description: 2048,
      event_time_max: 99999999999,
      labels_max: 50,
      label_key: 128,
      label_value: 2048,
    });
    expect(CHANGE_OVERFLOW).toEqual({
      description: "truncate",
      labels_max: "reject",
      label_value: "truncate",
    });
    // Flashduty documents no length for these: the spec must not make one up.
    for (const field of ["title", "change_key", "link"] as const) {
      expect(CHANGE_EVENT_SCHEMA.properties[field]).not.toHaveProperty("maxLength");
    }
    expect(CHANGE_EVENT_SCHEMA.required).toEqual(["title", "change_status", "change_key"]);
  });

  test("a change event without change_key does not compile", () => {
    // @ts-expect-error change_key is required
    const event: ChangeEvent = { title: "deploy", change_status: "Done" };
    expectTypeOf(event).toEqualTypeOf<ChangeEvent>();
  });
});
