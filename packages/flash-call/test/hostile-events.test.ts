// Hostile values for every field of an event: prepareEvent returns a payload or throws FlashdutyValidationError,
// nothing else (no raw TypeError, RangeError or URIError), and what it returns is exactly what JSON will carry.

import { EVENT_STATUSES } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import type { FlashCallEvent } from "../src/event.js";
import { prepareEvent } from "../src/prepare-event.js";
import { materialize, value } from "./hostile-values.js";

const labelName = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/),
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"),
);
const labels = fc.oneof(fc.dictionary(labelName, fc.oneof(value, fc.string())), value);
const image = fc.oneof(fc.record({ src: value, alt: value, href: value }, { requiredKeys: [] }), value);
const event = fc.record(
  {
    title_rule: fc.oneof(fc.string({ minLength: 1 }), value),
    event_status: fc.oneof(fc.constantFrom(...EVENT_STATUSES), value),
    alert_key: fc.oneof(fc.string({ minLength: 1 }), value),
    event_time: fc.oneof(fc.date({ noInvalidDate: false }), fc.integer(), fc.double(), value),
    description: value,
    labels,
    images: fc.oneof(fc.array(image, { maxLength: 3 }), value),
    extra: value,
  },
  { requiredKeys: [] },
);

/** Runs prepareEvent; anything thrown must be a FlashdutyValidationError. */
const prepareOrIssue = (input: unknown, baseLabels?: unknown) => {
  try {
    return prepareEvent(materialize(input) as FlashCallEvent, {
      baseLabels: materialize(baseLabels) as Record<string, string>,
    });
  } catch (error) {
    if (!FlashdutyValidationError.isInstance(error)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    return undefined;
  }
};

describe("prepareEvent under hostile input", () => {
  test("any value as the event: a payload or a FlashdutyValidationError", () => {
    fc.assert(
      fc.property(fc.oneof(value, event), (input) => {
        prepareOrIssue(input);
      }),
      propertyOptions("any value as the event: a payload or a FlashdutyValidationError", { numRuns: 1000 }),
    );
  });

  test("hostile fields and base labels: a payload that JSON carries unchanged, or a FlashdutyValidationError", () => {
    fc.assert(
      fc.property(event, fc.option(labels, { nil: undefined }), (input, baseLabels) => {
        const prepared = prepareOrIssue(input, baseLabels);
        if (prepared === undefined) return;
        const text = JSON.stringify(prepared.event);
        // Well-formed: encodeURIComponent throws a URIError on a lone surrogate.
        expect(() => encodeURIComponent(text)).not.toThrow();
        expect(JSON.parse(text)).toEqual(prepared.event);
      }),
      propertyOptions(
        "hostile fields and base labels: a payload that JSON carries unchanged, or a FlashdutyValid",
        { numRuns: 1000 },
      ),
    );
  });

  test("every label given (own keys such as __proto__ included) is sent, and nothing else", () => {
    const names = fc.oneof(
      fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/),
      fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty"),
    );
    fc.assert(
      fc.property(
        fc.dictionary(names, fc.string({ maxLength: 5 }), { maxKeys: 20 }),
        fc.dictionary(names, fc.string({ maxLength: 5 }), { maxKeys: 20 }),
        (own, base) => {
          // Through JSON, as an event read from a file or a request body reaches the SDK.
          const given = JSON.parse(JSON.stringify({ title_rule: "t", event_status: "Info", labels: own }));
          const { event: prepared } = prepareEvent(given, { baseLabels: JSON.parse(JSON.stringify(base)) });
          const expected = { ...base, ...own };
          expect(Object.getPrototypeOf(prepared.labels ?? {})).toBe(Object.prototype);
          expect(JSON.parse(JSON.stringify(prepared.labels ?? {}))).toEqual(expected);
          expect(Object.keys(prepared.labels ?? {}).sort()).toEqual(Object.keys(expected).sort());
        },
      ),
      propertyOptions("every label given (own keys such as __proto__ included) is sent, and nothing else", {
        numRuns: 1000,
      }),
    );
  });
});
