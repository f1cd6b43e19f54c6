import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { forEachUtf8Byte } from "./utf8-bytes.js";

function bytesOf(text: string, from?: number, to?: number): number[] {
  const bytes: number[] = [];
  forEachUtf8Byte(text, (byte) => bytes.push(byte), from, to);
  return bytes;
}

describe("forEachUtf8Byte", () => {
  test("gives TextEncoder's bytes for any string, lone surrogates included", () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (binary, grapheme) => {
        for (const text of [binary, grapheme, `${binary}\ud800`, `\udc00${grapheme}`]) {
          expect(bytesOf(text)).toEqual([...encoder.encode(text)]);
        }
      }),
      propertyOptions("for random strings of any UTF-16 units and of graphemes", { numRuns: 300 }),
    );
  });

  test("encodes only the units from `from` to `to`: a pair cut by `to` is a lone surrogate", () => {
    expect(bytesOf("a😀b", 1, 3)).toEqual([0xf0, 0x9f, 0x98, 0x80]);
    expect(bytesOf("a😀b", 1, 2)).toEqual([0xef, 0xbf, 0xbd]);
    expect(bytesOf("aé", 1)).toEqual([0xc3, 0xa9]);
  });
});
