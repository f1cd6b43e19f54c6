import { expect, test } from "vitest";
import { excerpt } from "./excerpt.js";
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
