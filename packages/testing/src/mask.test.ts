import { expect, test } from "vitest";
import { maskKey } from "./mask.js";

test("masks keys to at most 4 leading characters; short keys entirely", () => {
  expect(maskKey("0123456789abcdef0123456789abcdef")).toBe("0123****");
  expect(maskKey("short-key")).toBe("****");
});
