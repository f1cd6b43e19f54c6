import { describe, expect, test } from "vitest";
import { generateAlertKey, isGeneratedAlertKey, randomAlertKey, toBase62 } from "./alert-key.js";

describe("alert keys", () => {
  test("are 22 base62 characters, like Flashduty's", async () => {
    const key = await generateAlertKey("key", "disk full", { host: "db-1" });
    expect(key).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(isGeneratedAlertKey(key)).toBe(true);
    expect(isGeneratedAlertKey("9qJ798NJoXS4UMVB5SHsNj")).toBe(true);
    expect(randomAlertKey()).toMatch(/^[0-9A-Za-z]{22}$/);
  });

  test("the same alert (integration, title, labels in any order) gets the same key", async () => {
    const first = await generateAlertKey("key", "disk full", { host: "db-1", zone: "a" });
    const second = await generateAlertKey("key", "disk full", { zone: "a", host: "db-1" });
    expect(second).toBe(first);
    expect(await generateAlertKey("key", "disk fuller", { host: "db-1", zone: "a" })).not.toBe(first);
    expect(await generateAlertKey("other", "disk full", { host: "db-1", zone: "a" })).not.toBe(first);
  });

  test("base62 pads small values and fits the largest 128-bit value", () => {
    expect(toBase62(new Uint8Array(16))).toBe("0".repeat(22));
    expect(toBase62(new Uint8Array(16).fill(255))).toHaveLength(22);
    expect(toBase62(Uint8Array.from([...new Array(15).fill(0), 61]))).toBe(`${"0".repeat(21)}z`);
  });
});
