import { afterEach, describe, expect, test, vi } from "vitest";
import { hasEnv, readEnv } from "./env.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe("readEnv", () => {
  test("reads process.env", () => {
    vi.stubEnv("FLASH_CALL_TEST_VARIABLE", "value");
    expect(readEnv("FLASH_CALL_TEST_VARIABLE")).toBe("value");
    expect(hasEnv()).toBe(true);
  });

  test("treats an empty variable as unset", () => {
    vi.stubEnv("FLASH_CALL_TEST_VARIABLE", "");
    expect(readEnv("FLASH_CALL_TEST_VARIABLE")).toBeUndefined();
  });

  test("works where process does not exist", () => {
    vi.stubGlobal("process", undefined);
    const value = readEnv("PATH");
    const available = hasEnv();
    vi.unstubAllGlobals();
    expect(value).toBeUndefined();
    expect(available).toBe(false);
  });

  test("works where process has no env", () => {
    vi.stubGlobal("process", {});
    const value = readEnv("PATH");
    vi.unstubAllGlobals();
    expect(value).toBeUndefined();
  });

  test("survives an env that throws", () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error("access denied");
        },
      },
    );
    vi.stubGlobal("process", { env: throwing });
    const value = readEnv("PATH");
    vi.unstubAllGlobals();
    expect(value).toBeUndefined();
  });
});
