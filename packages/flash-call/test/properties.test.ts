import { LIMITS } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import { startMockServer } from "@flash-call/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import type { FlashCallEvent } from "../src/event.js";
import { createFlashCall } from "../src/flash-call.js";
import { prepareEvent } from "../src/prepare-event.js";

type Mock = Awaited<ReturnType<typeof startMockServer>>;
let mock: Mock;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(async () => {
  await mock.close();
});

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/);
const text = (max: number) => fc.string({ unit: "grapheme", minLength: 1, maxLength: max });
const validEvent: fc.Arbitrary<FlashCallEvent> = fc.record(
  {
    title_rule: text(700).filter((title) => title.trim() !== ""),
    event_status: fc.constantFrom("Critical", "Warning", "Info", "Ok"),
    alert_key: fc.string({ minLength: 1, maxLength: LIMITS.alert_key }).filter((key) => key.trim() !== ""),
    event_time: fc.integer({ min: 0, max: 4_102_444_800 }),
    description: fc.string({ unit: "grapheme", maxLength: 2500 }),
    labels: fc.dictionary(labelName, fc.oneof(fc.string({ maxLength: 2100 }), fc.integer(), fc.boolean()), {
      maxKeys: 50,
    }),
    images: fc.uniqueArray(
      fc.record({
        src: fc.webUrl().filter((url) => url.length <= LIMITS.image_src),
        alt: fc.string({ maxLength: 150 }),
      }),
      { maxLength: 3, selector: (image) => image.alt },
    ),
  },
  { requiredKeys: ["title_rule", "event_status", "alert_key"] },
);

describe("properties", () => {
  test("any valid event arrives at the mock exactly as prepared (after Flashduty's truncation)", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent", maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(validEvent, async (event) => {
        mock.reset();
        const { event: prepared } = prepareEvent(event);
        const result = await flashduty.push(event);
        expect(mock.events).toHaveLength(1);
        // The mock's own annotations (when, through which integration, what it did to the event, how it renders
        // the title) are set apart; the rest is what arrived.
        const { alert_key, request_id, received_at, integration, adjustments, rendered_title, ...received } =
          mock.events[0] as never as Record<string, unknown>;
        void [request_id, received_at, integration, adjustments, rendered_title];
        expect(alert_key).toBe(result.data.alert_key);
        expect({ ...received, alert_key }).toEqual({
          ...prepared,
          alert_key: prepared.alert_key ?? alert_key,
        });
      }),
      propertyOptions("a valid event arrives as prepared", { numRuns: 60 }),
    );
  });

  test("any invalid event throws a FlashdutyValidationError before any request", async () => {
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" });
    const invalid = fc.oneof(
      validEvent.map((event) => ({ ...event, event_status: "critical" })),
      validEvent.map((event) => ({ ...event, title_rule: " " })),
      validEvent.map((event) => ({ ...event, event_status: "Ok", alert_key: undefined })),
      validEvent.map((event) => ({ ...event, event_time: Date.now() })),
      validEvent.map((event) => ({ ...event, labels: { "not-a-name": "x" } })),
      validEvent.map((event) => ({ ...event, labels: { value: { nested: true } } })),
      validEvent.map((event) => ({
        ...event,
        labels: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`l${index}`, "v"])),
      })),
      validEvent.map((event) => ({ ...event, images: [{ src: `https://x/${"a".repeat(300)}` }] })),
      validEvent.map((event) => ({ ...event, unknown_field: 1 })),
    );
    await fc.assert(
      fc.asyncProperty(invalid, async (event) => {
        mock.reset();
        await expect(flashduty.push(event as FlashCallEvent)).rejects.toBeInstanceOf(
          FlashdutyValidationError,
        );
        expect(mock.requests).toHaveLength(0);
      }),
      propertyOptions("an invalid event is refused before sending", { numRuns: 150 }),
    );
  });

  test("prepareEvent never crashes: a result or a validation error, for any input", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          prepareEvent(value as FlashCallEvent);
        } catch (error) {
          expect(FlashdutyValidationError.isInstance(error)).toBe(true);
        }
      }),
      propertyOptions("prepareEvent never crashes", { numRuns: 500 }),
    );
  });
});
