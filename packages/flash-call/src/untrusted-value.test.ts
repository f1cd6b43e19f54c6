import { afterEach, describe, expect, test, vi } from "vitest";
import { hasLoneSurrogate } from "./untrusted-value.js";

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
