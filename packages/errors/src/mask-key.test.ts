import { expect, test } from "vitest";
import { maskKey } from "./mask-key.js";

test("shows at most four leading characters of a long key", () => {
  expect(maskKey("0123456789abcdef0123456789abcdef")).toBe("0123…****");
  expect(maskKey("0123456789abcdef")).toBe("0123…****");
});

test("fully masks short keys", () => {
  expect(maskKey("0123456789abcde")).toBe("****");
  expect(maskKey("k")).toBe("****");
  expect(maskKey("")).toBe("****");
});
