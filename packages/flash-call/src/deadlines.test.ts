import { describe, expect, test } from "vitest";
import { onDeadline } from "./deadlines.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("onDeadline", () => {
  test("each deadline expires once, in order, never early", async () => {
    const started = performance.now();
    const expired: Array<[string, number]> = [];
    const record = (name: string) => () => expired.push([name, performance.now() - started]);
    onDeadline(60, record("60"));
    onDeadline(20, record("20"));
    onDeadline(40, record("40"));
    await wait(120);
    expect(expired.map(([name]) => name)).toEqual(["20", "40", "60"]);
    for (const [name, elapsed] of expired) expect(elapsed).toBeGreaterThanOrEqual(Number(name) - 1);
  });

  test("a cleared deadline never expires, and the others still do", async () => {
    const expired: string[] = [];
    const clearEarly = onDeadline(10, () => expired.push("cleared"));
    onDeadline(30, () => expired.push("kept"));
    clearEarly();
    await wait(60);
    expect(expired).toEqual(["kept"]);
  });

  test("a deadline beyond setTimeout's limit does not expire at once", async () => {
    let expired = false;
    const clear = onDeadline(2 ** 32, () => {
      expired = true;
    });
    await wait(30);
    clear();
    expect(expired).toBe(false);
  });
  // That a pending deadline does not keep a process alive is proven end to end by test/process-exit.test.ts.
});
