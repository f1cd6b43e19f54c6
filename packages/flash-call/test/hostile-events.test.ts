// Hostile values for every field of an event: prepareEvent returns a payload or throws FlashdutyValidationError,
// nothing else (no raw TypeError, RangeError or URIError), and what it returns is exactly what JSON will carry.

import { EVENT_STATUSES } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { FlashCallEvent } from "../src/event.js";
import { prepareEvent } from "../src/prepare-event.js";

// A fixed seed until the shared convention for property tests is wired: a failure here is reproducible as is.
const RUNS = { seed: 1610, numRuns: 1000 };

/** Values built to break a careless reader; a factory each, so every run gets a fresh one. */
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => Symbol("s"),
  () => 1n,
  () => Object.create(null),
  () => ({ toString: 0, valueOf: 0 }),
  () => ({
    toString() {
      throw new Error("toString");
    },
  }),
  () =>
    Object.defineProperty({}, "x", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    }),
  () =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error("get");
        },
        ownKeys: () => {
          throw new Error("ownKeys");
        },
        getOwnPropertyDescriptor: () => {
          throw new Error("descriptor");
        },
        has: () => {
          throw new Error("has");
        },
        getPrototypeOf: () => {
          throw new Error("prototype");
        },
      },
    ),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    return proxy;
  },
  () =>
    new Proxy([1, 2], {
      get: () => {
        throw new Error("get");
      },
    }),
  () => Object.create(Date.prototype),
  () => new Date(Number.NaN),
  () => new Date(-1000),
  () => new Date(8.64e15),
  () => new Proxy(new Date(), {}),
  () => JSON.parse('{"__proto__":"x","constructor":"y"}'),
  () => "\uD800",
  () => "a\uDFFFb",
  () => "\uD83D\uDE00\uD83D",
  () => -0,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => 1e300,
  () => -1,
  () => 2 ** 53,
  () => () => "function",
  () => [undefined, null],
  () => new Array(3),
];

/**
 * Where a hostile value goes. fast-check itself inspects generated values (a revoked Proxy breaks it), so the
 * generated structure holds these markers, replaced by fresh hostile values just before each check.
 */
class Hostile {
  constructor(readonly index: number) {}
}

/** A copy of `generated` with every marker replaced by its hostile value (own keys such as __proto__ kept). */
function materialize(generated: unknown): unknown {
  if (generated instanceof Hostile) return HOSTILE[generated.index]!();
  if (Array.isArray(generated)) return generated.map(materialize);
  if (generated === null || typeof generated !== "object") return generated;
  const prototype = Object.getPrototypeOf(generated);
  if (prototype !== Object.prototype && prototype !== null) return generated;
  const copy = Object.create(prototype);
  for (const [name, field] of Object.entries(generated)) {
    Object.defineProperty(copy, name, {
      value: materialize(field),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

const hostile = fc.nat({ max: HOSTILE.length - 1 }).map((index) => new Hostile(index));
const value = fc.oneof(
  fc.anything({
    withObjectString: true,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
    stringUnit: "binary",
  }),
  hostile,
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
);
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
      RUNS,
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
      RUNS,
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
      RUNS,
    );
  });
});
