import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { maskKey } from "./mask-key.js";
import { sanitize, sanitizeParsedJson } from "./sanitize.js";
import { registerSecret } from "./secret-registry.js";

const KEY = "parsed-json-key-0123456789abcdef";
registerSecret(KEY);
const MASK = maskKey(KEY);

/** What sanitizeParsedJson gives for a body, beside what sanitize gives for it. */
function both(text: string): [unknown, unknown] {
  return [sanitizeParsedJson(JSON.parse(text), text), sanitize(JSON.parse(text))];
}

describe("sanitizeParsedJson: the parsed value itself when the text holds nothing to redact", () => {
  test("a success answer comes back as the very object parsed", () => {
    const text = '{"request_id":"f00dfeedc0ffee42","data":{"alert_key":"db-1-disk"}}';
    const parsed = JSON.parse(text);
    expect(sanitizeParsedJson(parsed, text)).toBe(parsed);
  });

  test("an answer nested exactly five deep is kept; a sixth level is cut as sanitize cuts it", () => {
    const five = '{"a":{"b":{"c":{"d":{"e":"x"}}}}}';
    expect(sanitizeParsedJson(JSON.parse(five), five)).toEqual(JSON.parse(five));
    const six = '{"a":{"b":{"c":{"d":{"e":{"f":"x"}}}}}}';
    const [fast, slow] = both(six);
    expect(fast).toEqual(slow);
    expect(JSON.stringify(fast)).toContain("nested too deeply");
  });

  test("brackets inside strings do not count as nesting", () => {
    const text = '{"data":{"alert_key":"[[[[[[{{{{{{"}}';
    const parsed = JSON.parse(text);
    expect(sanitizeParsedJson(parsed, text)).toBe(parsed);
  });
});

describe("sanitizeParsedJson: hostile answers are redacted as sanitize redacts them", () => {
  test("the key echoed in a value, cut short, or as a property name", () => {
    for (const text of [
      `{"request_id":"r","data":{"alert_key":"${KEY}"}}`,
      `{"request_id":"r","data":{"alert_key":"${KEY.slice(3, 14)}"}}`,
      `{"request_id":"r","data":{"${KEY}":"x"}}`,
    ]) {
      const [fast, slow] = both(text);
      expect(fast).toEqual(slow);
      expect(JSON.stringify(fast)).not.toContain(KEY.slice(3, 11));
      expect(JSON.stringify(fast)).toContain(MASK);
    }
  });

  test("the key spelled with JSON escapes, which the text does not hold as it is", () => {
    const escaped = [...KEY].map(
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    const text = `{"request_id":"r","data":{"alert_key":"${escaped.join("")}"}}`;
    const [fast, slow] = both(text);
    expect(fast).toEqual(slow);
    expect(JSON.stringify(fast)).not.toContain(KEY.slice(0, 8));
  });

  test("an integration_key parameter of an unregistered key", () => {
    const text = '{"request_id":"r","data":{"alert_key":"see ?integration_key=unregistered-secret"}}';
    const [fast, slow] = both(text);
    expect(fast).toEqual(slow);
    expect(JSON.stringify(fast)).not.toContain("unregistered-secret");
  });

  test("an error field inherited from a polluted Object.prototype is redacted as sanitize does", () => {
    const text = '{"request_id":"r","data":{"alert_key":"db-1"}}';
    const prototype = Object.prototype as { message?: string };
    prototype.message = `leaked ${KEY}`;
    try {
      const [fast, slow] = both(text);
      expect(fast).toEqual(slow);
      expect(Object.getOwnPropertyDescriptor(fast, "message")?.value).toBe(`leaked ${MASK}`);
    } finally {
      delete prototype.message;
    }
  });

  test("for random JSON holding the key anywhere, raw, cut or escaped, it equals sanitize", () => {
    const piece = fc
      .tuple(fc.nat(KEY.length - 8), fc.integer({ min: 8, max: KEY.length }))
      .map(([from, length]) => KEY.slice(from, from + length));
    const text = fc.oneof(
      fc.string(),
      piece,
      piece.map((part) => `x${part}\\"y`),
    );
    const json = fc
      .jsonValue({ maxDepth: 7 })
      .chain((value) =>
        fc.tuple(fc.constant(value), text).map(([base, extra]) => JSON.stringify({ base, [extra]: extra })),
      );
    fc.assert(
      fc.property(json, (body) => {
        const [fast, slow] = both(body);
        expect(fast).toEqual(slow);
      }),
      propertyOptions("sanitizeParsedJson equals sanitize on random JSON bodies holding pieces of a key", {
        numRuns: 300,
      }),
    );
  });
});
