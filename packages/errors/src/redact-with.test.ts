import { describe, expect, test } from "vitest";
import { maskKey } from "./mask-key.js";
import { redact, redactWith, registerSecret } from "./secret-registry.js";

describe("redactWith", () => {
  const key = "given+Key/Only=0123456789abcdef";
  const mask = maskKey(key);

  test("masks the given keys in every form redact knows, without registering them", () => {
    const forms = [
      key,
      key.toUpperCase(),
      key.slice(3, 14),
      encodeURIComponent(key),
      [...key].map((unit) => `%${unit.charCodeAt(0).toString(16)}`).join(""),
      [...key].map((unit) => `&#${unit.charCodeAt(0)};`).join(""),
      [...key].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
    ];
    for (const form of forms) expect(redactWith(`bad key ${form}!`, [key])).toBe(`bad key ${mask}!`);
    expect(redact(`bad key ${key}`)).toBe(`bad key ${key}`);
  });

  test("masks registered secrets too, and leaves a text without any as it is", () => {
    const registered = "registered-beside-given-0001";
    registerSecret(registered);
    expect(redactWith(`${registered} and ${key}`, [key])).toBe(`${maskKey(registered)} and ${mask}`);
    expect(redactWith("nothing secret here", [key, "other-given-key-0002"])).toBe("nothing secret here");
    expect(redactWith("nothing given", [])).toBe("nothing given");
  });

  test("answers a typed error for a text that is not a string", () => {
    expect(() => redactWith(42 as unknown as string, [key])).toThrow(/redactWith\(\)/);
  });
});
