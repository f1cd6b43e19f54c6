import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { escapeForTerminal } from "./terminal-text.js";

/** Characters that must never reach a terminal raw. */
function unsafeCharacters(): string[] {
  const characters: string[] = [];
  for (let code = 0; code <= 0x1f; code += 1) characters.push(String.fromCharCode(code));
  for (let code = 0x7f; code <= 0x9f; code += 1) characters.push(String.fromCharCode(code));
  for (let code = 0x202a; code <= 0x202e; code += 1) characters.push(String.fromCharCode(code));
  for (let code = 0x2066; code <= 0x2069; code += 1) characters.push(String.fromCharCode(code));
  characters.push("\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\ud800", "\udbff", "\udc00", "\udfff");
  return characters;
}

describe("escapeForTerminal", () => {
  it.each(unsafeCharacters().map((character) => [character.charCodeAt(0).toString(16), character]))(
    "escapes U+%s so it shows as printable ASCII",
    (_code, character) => {
      const escaped = escapeForTerminal(`a${character}b`);
      expect(escaped).not.toContain(character);
      expect(escaped).toMatch(/^a\\[\x21-\x7e]+b$/);
    },
  );

  it("neutralises screen-clearing, title-setting and line-rewriting sequences", () => {
    expect(escapeForTerminal("x\u001b[2Jy\u001b]0;title\u0007z\rw\u202ev")).toBe(
      "x\\x1b[2Jy\\x1b]0;title\\x07z\\rw\\u202ev",
    );
    expect(escapeForTerminal("one\ntwo\tthree\r\n")).toBe("one\\ntwo\\tthree\\r\\n");
    expect(escapeForTerminal("csi\u009b2J del\u007f")).toBe("csi\\u009b2J del\\u007f");
  });

  it("keeps printable text, non-ASCII letters, emoji and surrogate pairs as they are", () => {
    const text = 'disk full on db1 "quoted" \\path 中文 العربية 😀 𝔘 ½';
    expect(escapeForTerminal(text)).toBe(text);
  });

  it("shows a lone surrogate, and only a lone one", () => {
    expect(escapeForTerminal("a\ud83db")).toBe("a\\ud83db");
    expect(escapeForTerminal("\ude00\ud83d")).toBe("\\ude00\\ud83d");
    expect(escapeForTerminal("\ud83d\ude00")).toBe("😀");
  });

  it("keeps JSON valid and meaning the same", () => {
    const value = {
      message: "\u001b[2J\u001b]0;t\u0007\r\n\u202e\u2066\u0085\u009b\u007f\u2028\ud800 ok 中文",
      "key\u202e": ["\u0000", "\u200f"],
    };
    const escaped = escapeForTerminal(JSON.stringify(value));
    expect(JSON.parse(escaped)).toEqual(value);
    for (const character of unsafeCharacters()) expect(escaped).not.toContain(character);
  });

  it("takes linear time on a long hostile text", () => {
    // A quarter of a million escapes: a super-linear replacement would not finish within the test's timeout.
    const text = "\u001b[2J\u202e".repeat(50_000) + "x".repeat(1_000_000);
    const escaped = escapeForTerminal(text);
    expect(escaped.length).toBe(text.length + 50_000 * (3 + 5));
  });
});

// Property test: a fixed seed so CI runs the same cases every time.
describe("escapeForTerminal properties", () => {
  it("leaves no unsafe character, keeps every safe one, and keeps JSON valid and equal", () => {
    // Any single UTF-16 unit, so lone surrogates come up as often as controls do.
    const unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const isUnsafe = (character: string) => {
      const code = character.codePointAt(0) ?? 0;
      return (
        code <= 0x1f ||
        (code >= 0x7f && code <= 0x9f) ||
        [0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code) ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069) ||
        (code >= 0xd800 && code <= 0xdfff)
      );
    };
    fc.assert(
      fc.property(fc.array(unit), fc.string({ unit: "grapheme" }), (units, text) => {
        const value = `${units.join("")}${text}`;
        const escaped = escapeForTerminal(value);
        // for…of walks code points: a surrogate pair is one (safe) character, a lone surrogate is unsafe.
        for (const character of escaped) expect(isUnsafe(character)).toBe(false);
        if (![...value].some(isUnsafe)) expect(escaped).toBe(value);
        expect(JSON.parse(escapeForTerminal(JSON.stringify({ [value]: value })))).toEqual({ [value]: value });
      }),
      propertyOptions("leaves no unsafe character, keeps every safe one, and keeps JSON valid and equal", {
        numRuns: 2000,
      }),
    );
  });
});
