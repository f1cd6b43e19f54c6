import { describe, expect, test } from "vitest";
import { maskKey } from "./mask-key.js";

describe("maskKey", () => {
  test("shows no character of a long key: `****#` and 6 hex characters of its FNV-1a fingerprint", () => {
    // FNV-1a 32-bit of "0123456789abcdef" is 0x87bc333d (computed independently, in Python).
    expect(maskKey("0123456789abcdef")).toBe("****#87bc33");
    expect(maskKey("0123456789abcdef0123456789abcdef")).toMatch(/^\*\*\*\*#[0-9a-f]{6}$/);
  });

  test("tells two keys apart and gives one key the same mask every time", () => {
    expect(maskKey("key-one-0123456789")).toBe(maskKey("key-one-0123456789"));
    expect(maskKey("key-one-0123456789")).not.toBe(maskKey("key-two-0123456789"));
  });

  test("fingerprints the UTF-8 of the key, lone surrogates included, without throwing", () => {
    expect(maskKey("ключ-0123456789abcdef")).toMatch(/^\*\*\*\*#[0-9a-f]{6}$/);
    expect(maskKey("\ud800-lone-surrogate-key")).toMatch(/^\*\*\*\*#[0-9a-f]{6}$/);
  });

  test("fully masks keys shorter than 16 characters", () => {
    expect(maskKey("0123456789abcde")).toBe("****");
    expect(maskKey("short")).toBe("****");
    expect(maskKey(undefined as unknown as string)).toBe("****");
  });
});
