import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { base64Forms, percentEncodings, textForms, upperCaseEscapes } from "./secret-forms.js";

const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string());

/** What URLSearchParams writes for a value: form encoding, a space as `+`, a lone surrogate as U+FFFD. */
const formEncoded = (text: string) => new URLSearchParams({ k: text }).toString().slice(2);

/** Standard base64 of a string's UTF-8 bytes, as a server (or `btoa`) writes it. */
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("secret forms", () => {
  test("base64Forms: the base64 of a text holds one of its forms wherever the text starts in a group of three", () => {
    fc.assert(
      fc.property(
        anyText,
        fc.string({ maxLength: 5 }),
        fc.string({ maxLength: 5 }),
        (text, before, after) => {
          const forms = base64Forms(text);
          const encoded = base64(`${before}${text}${after}`);
          const urlSafe = encoded.replaceAll("+", "-").replaceAll("/", "_");
          // A form is empty only when the text is too short to fill a whole group, and then none is given.
          for (const form of forms) expect(form).not.toBe("");
          if (new TextEncoder().encode(text).length >= 5) {
            expect(forms.some((form) => encoded.includes(form))).toBe(true);
            expect(forms.some((form) => urlSafe.includes(form))).toBe(true);
          }
        },
      ),
      propertyOptions("base64Forms for texts of any UTF-16 units, graphemes and ASCII", { numRuns: 300 }),
    );
  });

  test("percentEncodings are encodeURIComponent's and URLSearchParams' forms, upper-case hex", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const forms = percentEncodings(text);
        // A lone surrogate as U+FFFD, as form encoding writes it (encodeURIComponent throws on one).
        const wellFormed = [...text]
          .map((point) => (point.length === 1 && point >= "\ud800" && point <= "\udfff" ? "\ufffd" : point))
          .join("");
        expect(forms).toContain(encodeURIComponent(wellFormed));
        expect(forms).toContain(formEncoded(text));
        expect(forms).toContain(formEncoded(text).replaceAll("+", "%20"));
        expect(forms.length).toBe(new Set(forms).size);
      }),
      propertyOptions("for strings of any UTF-16 units, graphemes and ASCII", { numRuns: 300 }),
    );
  });

  test("textForms hold the text HTML-escaped as a replace of &<>\"' would", () => {
    const entities: Record<string, string> = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&quot;",
      "'": "&#39;",
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "&", "<", ">", '"', "'", "é", "+") }), (text) => {
        expect(textForms(text)).toContain(text.replace(/[&<>"']/g, (character) => entities[character] ?? ""));
      }),
      propertyOptions("for strings of letters and the characters HTML escapes", { numRuns: 300 }),
    );
  });

  test("upperCaseEscapes upper-cases the hex of each escape and nothing else", () => {
    expect(upperCaseEscapes("a%2fb%zz%e9%4")).toBe("a%2Fb%zz%E9%4");
    expect(upperCaseEscapes("no escapes")).toBe("no escapes");
    expect(upperCaseEscapes("%%ab")).toBe("%%AB");
  });
});
