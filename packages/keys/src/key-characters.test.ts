import { describe, expect, test } from "vitest";
import { hasUnit, isControl, isWhitespace } from "./key-characters.js";

describe("key characters", () => {
  test("isControl and isWhitespace agree with the expressions they stand for, on every UTF-16 unit", () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const character = String.fromCharCode(unit);
      expect(isControl(unit)).toBe(/[\u0000-\u001f\u007f-\u009f]/.test(character));
      expect(isWhitespace(unit)).toBe(/\s/.test(character));
    }
  });

  test("hasUnit looks at every unit", () => {
    expect(hasUnit("abc", isWhitespace)).toBe(false);
    expect(hasUnit("ab\u3000", isWhitespace)).toBe(true);
    expect(hasUnit("\u0085bc", isControl)).toBe(true);
    expect(hasUnit("", isControl)).toBe(false);
  });
});
