import { describe, expect, test } from "vitest";
import { SHOWN_CHARS, SHOWN_ITEMS, shownPart } from "./inspector-shown.js";

describe("shownPart", () => {
  test("returns a record within bounds itself, unchanged", () => {
    const record = { title: "t".repeat(SHOWN_CHARS), labels: { a: "1" }, images: [{ src: "https://x/1" }] };
    expect(shownPart(record)).toBe(record);
  });

  test("cuts a long string and says how much it left out, never in the middle of a surrogate pair", () => {
    const text = `${"a".repeat(SHOWN_CHARS - 1)}😀${"b".repeat(10)}`;
    const shown = shownPart({ title: text }).title;
    expect(shown).toBe(
      `${"a".repeat(SHOWN_CHARS - 1)} … (12 more characters not shown here; the NDJSON download has them)`,
    );
  });

  test("cuts long lists and maps, counting the rest beside them; a label named __proto__ stays a label", () => {
    const labels = Object.fromEntries(
      Array.from({ length: SHOWN_ITEMS + 3 }, (_, index) => [`l${index}`, "v"]),
    );
    const images = Array.from({ length: SHOWN_ITEMS + 7 }, (_, index) => ({ src: `https://x/${index}` }));
    const shown = shownPart({ event: { labels, images } }) as {
      event: { labels: object; labels_not_shown: number; images: unknown[]; images_not_shown: number };
    };
    expect(Object.keys(shown.event.labels)).toHaveLength(SHOWN_ITEMS);
    expect(shown.event.labels_not_shown).toBe(3);
    expect(shown.event.images).toHaveLength(SHOWN_ITEMS);
    expect(shown.event.images_not_shown).toBe(7);
    const proto = shownPart(JSON.parse(`{"labels":{"__proto__":"${"x".repeat(SHOWN_CHARS + 1)}"}}`));
    expect(Object.keys(proto.labels)).toEqual(["__proto__"]);
  });
});
