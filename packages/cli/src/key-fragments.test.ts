import { describe, expect, it } from "vitest";
import { maskKeyFragments, rememberKey } from "./key-fragments.js";

describe("maskKeyFragments", () => {
  const key = "frag+Key/0123456789=abcdefXYZ";
  rememberKey(key);

  it("masks the whole key and every piece of 8 characters or more, at any position", () => {
    for (let start = 0; start < key.length; start += 1) {
      for (let end = start + 8; end <= key.length; end += 1) {
        const masked = maskKeyFragments(`before ${key.slice(start, end)} after`);
        expect(masked).toBe("before **** after");
      }
    }
  });

  it("leaves pieces of 7 characters and unrelated text alone", () => {
    expect(maskKeyFragments(`x ${key.slice(3, 10)} y`)).toBe(`x ${key.slice(3, 10)} y`);
    expect(maskKeyFragments("delivered alert_key=abc request_id=def")).toBe(
      "delivered alert_key=abc request_id=def",
    );
  });

  it("masks overlapping and adjacent pieces as one run, and several runs apart", () => {
    expect(maskKeyFragments(`${key.slice(0, 10)}${key.slice(5, 20)} | ${key.slice(-9)}`)).toBe("**** | ****");
  });

  it("ignores a remembered string shorter than 8 characters", () => {
    rememberKey("short");
    expect(maskKeyFragments("short and shorter")).toBe("short and shorter");
  });

  it("is linear in the text's length", () => {
    const text = `${key.slice(0, 9)}-`.repeat(100_000);
    expect(maskKeyFragments(text)).toBe("****-".repeat(100_000));
  });
});
