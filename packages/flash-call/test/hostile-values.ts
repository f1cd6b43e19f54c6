// Values built to break a careless reader, for property tests of everything that takes input from a caller.

import fc from "fast-check";

// A fixed seed until the shared convention for property tests is wired: a failure here is reproducible as is.

/** Values built to break a careless reader; a factory each, so every run gets a fresh one. */
export const HOSTILE: ReadonlyArray<() => unknown> = [
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
export class Hostile {
  constructor(readonly index: number) {}
}

/** A copy of `generated` with every marker replaced by its hostile value (own keys such as __proto__ kept). */
export function materialize(generated: unknown): unknown {
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

export const hostile = fc.nat({ max: HOSTILE.length - 1 }).map((index) => new Hostile(index));
export const value = fc.oneof(
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
