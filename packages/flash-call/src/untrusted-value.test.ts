import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, test, vi } from "vitest";
import { hasLoneSurrogate, hiddenFields } from "./untrusted-value.js";

const HALVES = ["😀".slice(0, 1), "😀".slice(1), `a${"😀".slice(1)}b`, `x${"😀".slice(0, 1)}`];
const WHOLE = ["", "plain", "😀", "ключ €", "a😀b"];

describe("hasLoneSurrogate", () => {
  afterEach(() => {
    vi.resetModules();
  });

  test("finds half a character, and only that", () => {
    for (const text of HALVES) expect(hasLoneSurrogate(text)).toBe(true);
    for (const text of WHOLE) expect(hasLoneSurrogate(text)).toBe(false);
  });

  test("answers the same on a runtime without String.prototype.isWellFormed", async () => {
    const prototype = String.prototype as { isWellFormed?: unknown };
    const isWellFormed = prototype.isWellFormed;
    delete prototype.isWellFormed;
    try {
      vi.resetModules();
      const fresh = await import("./untrusted-value.js");
      for (const text of HALVES) expect(fresh.hasLoneSurrogate(text)).toBe(true);
      for (const text of WHOLE) expect(fresh.hasLoneSurrogate(text)).toBe(false);
    } finally {
      prototype.isWellFormed = isWellFormed;
    }
  });
});

describe("hiddenFields", () => {
  test("a plain object, of any realm, or one without a prototype, hides nothing", () => {
    expect(hiddenFields({ host: "a" })).toBeUndefined();
    expect(hiddenFields(Object.create(null))).toBeUndefined();
    expect(hiddenFields(runInNewContext('({ host: "a" })'))).toBeUndefined();
  });

  test("a Map, of any realm, and an inherited field are named", () => {
    expect(hiddenFields(new Map())).toMatch(/^is a Map/);
    expect(hiddenFields(runInNewContext("new Map([['host', 'a']])"))).toMatch(/^is a Map/);
    expect(hiddenFields(Object.create({ "team\n": "db" }))).toBe(
      'inherits "team\\n": pass own fields, e.g. { ...labels }',
    );
  });

  test("a Set, a Date, a WeakMap and a WeakSet, whose contents JSON drops, are named; a class instance is not", () => {
    expect(hiddenFields(new Set(["host=a"]))).toMatch(/^is a Set/);
    expect(hiddenFields(new Date())).toMatch(/^is a Date/);
    expect(hiddenFields(runInNewContext("new Date()"))).toMatch(/^is a Date/);
    expect(hiddenFields(new WeakMap())).toMatch(/^is a WeakMap/);
    expect(hiddenFields(new WeakSet())).toMatch(/^is a WeakSet/);
    class Labels {
      host = "a";
    }
    expect(hiddenFields(new Labels())).toBeUndefined();
  });

  test("calls none of the object's own code", () => {
    const spied = Object.create({
      get inherited() {
        throw new Error("read");
      },
    });
    // Named without being read: its getter would throw.
    expect(hiddenFields(spied)).toMatch(/^inherits "inherited"/);
  });
});
