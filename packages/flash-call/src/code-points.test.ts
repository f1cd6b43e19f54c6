import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { codePointLength, firstCodePoints } from "./code-points.js";

// The reference model: string iteration, one array entry per code point (what the SDK counted and cut with).
const referenceLength = (text: string) => [...text].length;
const referenceFirst = (text: string, limit: number) => [...text].slice(0, limit).join("");

const HIGH = "\uD83D"; // the first half of 😀
const LOW = "\uDE00"; // its second half

describe("codePointLength and firstCodePoints", () => {
  test.each([
    ["", 0],
    ["abc", 2],
    ["ab😀cd", 2], // the cut falls before the pair
    ["ab😀cd", 3], // after the pair: it is kept whole
    ["a😀😀", 2],
    [`ab${HIGH}c`, 2], // a lone high surrogate at the cut
    [`ab${HIGH}c`, 3],
    [`ab${LOW}c`, 3], // a lone low surrogate at the cut
    [`${LOW}${HIGH}x`, 1], // reversed halves are two code points
    [`ab${HIGH}`, 3], // a high surrogate ending the string
    [`${HIGH}${HIGH}${LOW}`, 1],
    [`${HIGH}${HIGH}${LOW}`, 2],
    ["日本語テキスト", 4],
    ["abc", 10],
  ])("%j cut to %i code points is cut as string iteration cuts it", (text, limit) => {
    expect(codePointLength(text)).toBe(referenceLength(text));
    expect(firstCodePoints(text, limit)).toBe(referenceFirst(text, limit));
  });

  test("counts and cuts any string as string iteration does, lone surrogates included", () => {
    // Mostly surrogate halves and pairs, so cuts land on and between them.
    const unit = fc.constantFrom("a", "é", HIGH, LOW, "😀", "𝄞", "\u0000");
    const text = fc.array(unit, { maxLength: 40 }).map((units) => units.join(""));
    fc.assert(
      fc.property(text, fc.nat({ max: 45 }), (value, limit) => {
        expect(codePointLength(value)).toBe(referenceLength(value));
        expect(firstCodePoints(value, limit)).toBe(referenceFirst(value, limit));
      }),
      propertyOptions("code points counted and cut as string iteration does", { numRuns: 2000 }),
    );
  });
});
