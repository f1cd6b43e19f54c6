import { expect, test } from "vitest";
import { cutText, excerpt } from "./excerpt.js";
import { maskKey } from "./mask-key.js";
import { registerSecret } from "./secret-registry.js";

test("redacts the whole text before cutting it, so a key across the cut is masked, not shortened", () => {
  const key = "excerpt-cut-key-0123456789";
  registerSecret(key);
  const text = `${"x".repeat(15)}${key}`;
  expect(excerpt(text, 20)).toBe(`${"x".repeat(15)}${maskKey(key).slice(0, 5)}…`);
  expect(excerpt(text, 20)).not.toContain(key.slice(0, 5));
});

test("never cuts inside a surrogate pair, and leaves a short text as it is", () => {
  expect(excerpt("ab😀cd", 3)).toBe("ab…");
  expect(excerpt("short", 200)).toBe("short");
});

test("cutText cuts as excerpt does, without redacting: never inside a surrogate pair, … where it cut", () => {
  const key = "cut-text-key-0123456789";
  registerSecret(key);
  expect(cutText(key, 100)).toBe(key);
  expect(cutText("😀😀", 3)).toBe("😀…");
  expect(cutText("abcdef", 4)).toBe("abcd…");
  expect(cutText("abcd", 4)).toBe("abcd");
  expect(() => cutText(42 as unknown as string, 4)).toThrow(/cutText\(\) takes a string/);
  expect(() => cutText("abc", 0)).toThrow(/cutText\(\)'s length must be a whole number/);
});
