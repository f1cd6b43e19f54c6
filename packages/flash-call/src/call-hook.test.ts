import { afterEach, describe, expect, test, vi } from "vitest";
import { createHookCaller } from "./call-hook.js";
import type { AttemptInfo } from "./hooks.js";
import type { Log } from "./log.js";

const INFO = { attempt: 1 } as AttemptInfo;

function callerWith(onRequest: (info: AttemptInfo) => unknown) {
  const lines: string[] = [];
  const log = Object.assign((level: string, line: string) => lines.push(`${level}: ${line}`), {
    logs: () => true,
  }) as unknown as Log;
  const call = createHookCaller({
    hooks: { onRequest: onRequest as (info: AttemptInfo) => void },
    log,
    stuckHooks: new Set(),
    timeoutMs: 60_000,
    signal: undefined,
  });
  return { call, lines };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createHookCaller", () => {
  test("a hook's thenable whose then throws is reported as thrown, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const { call, lines } = callerWith(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is what is under test
      then() {
        throw new Error("then exploded");
      },
    }));
    await call("onRequest", INFO);
    expect(lines).toEqual(["error: the onRequest hook threw: then exploded"]);
    // The hook's wait must not keep a process alive for timeoutMs.
    expect(vi.getTimerCount()).toBe(0);
  });

  test("a hook that settles in time leaves no timer behind either", async () => {
    vi.useFakeTimers();
    const { call, lines } = callerWith(async () => {});
    await call("onRequest", INFO);
    expect(lines).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
