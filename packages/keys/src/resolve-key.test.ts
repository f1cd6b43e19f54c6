import { FlashdutyConfigError } from "@flash-call/errors";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { IntegrationKey } from "./integration-key.js";
import { clearKey, setKey } from "./key-store.js";
import { resolveKey } from "./resolve-key.js";

const EXPLICIT = "explicit-0123456789abcdef0123";
const STORED = "stored-0123456789abcdef012345";
const FROM_ENV = "env-0123456789abcdef0123456789";
const FROM_URL = "url-0123456789abcdef0123456789";
const PUSH_URL = `https://proxy.local/fd/event/push/alert/standard?integration_key=${FROM_URL}`;

beforeEach(() => {
  vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", "");
  vi.stubEnv("FLASHDUTY_PUSH_URL", "");
});

afterEach(() => {
  clearKey();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

function everySource(): void {
  setKey(STORED, { user: "u", strategy: "s" });
  vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", FROM_ENV);
  vi.stubEnv("FLASHDUTY_PUSH_URL", PUSH_URL);
}

describe("resolveKey, in the contract's order", () => {
  test("the explicit argument first", () => {
    everySource();
    const resolved = resolveKey(EXPLICIT);
    expect(resolved.key.reveal()).toBe(EXPLICIT);
    expect(resolved).toStrictEqual({ key: resolved.key, source: "explicit" });
  });

  test("an explicit IntegrationKey is used as is", () => {
    const key = new IntegrationKey(EXPLICIT);
    expect(resolveKey(key).key).toBe(key);
  });

  test("then setKey, with its user and strategy", () => {
    everySource();
    const resolved = resolveKey();
    expect(resolved.key.reveal()).toBe(STORED);
    expect(resolved).toMatchObject({ source: "setKey", user: "u", strategy: "s" });
    expect(resolved.baseUrl).toBeUndefined();
  });

  test("then FLASHDUTY_INTEGRATION_KEY", () => {
    everySource();
    clearKey();
    const resolved = resolveKey();
    expect(resolved.key.reveal()).toBe(FROM_ENV);
    expect(resolved.source).toBe("FLASHDUTY_INTEGRATION_KEY");
  });

  test("then FLASHDUTY_PUSH_URL, with its base URL", () => {
    vi.stubEnv("FLASHDUTY_PUSH_URL", PUSH_URL);
    const resolved = resolveKey();
    expect(resolved.key.reveal()).toBe(FROM_URL);
    expect(resolved).toMatchObject({ source: "FLASHDUTY_PUSH_URL", baseUrl: "https://proxy.local/fd" });
  });

  test("undefined counts as not given", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", FROM_ENV);
    expect(resolveKey(undefined).source).toBe("FLASHDUTY_INTEGRATION_KEY");
  });
});

describe("resolveKey failures", () => {
  test("names every place it looked", () => {
    expect(() => resolveKey()).toThrow(FlashdutyConfigError);
    expect(() => resolveKey()).toThrow(
      "No Flashduty integration key found: pass integrationKey (not given), call setKey(key) (not called), or set FLASHDUTY_INTEGRATION_KEY (not set) or FLASHDUTY_PUSH_URL (not set).",
    );
  });

  test("works where process does not exist", () => {
    vi.stubGlobal("process", undefined);
    let error: unknown;
    try {
      resolveKey();
    } catch (caught) {
      error = caught;
    }
    setKey(STORED);
    const stored = resolveKey();
    const explicit = resolveKey(EXPLICIT);
    vi.unstubAllGlobals();
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      "FLASHDUTY_INTEGRATION_KEY (not set: no process.env in this runtime)",
    );
    expect(stored.source).toBe("setKey");
    expect(explicit.source).toBe("explicit");
  });

  test("an empty explicit key is an error, not a fallback", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", FROM_ENV);
    expect(() => resolveKey("")).toThrow("The integrationKey passed in is empty.");
  });

  test("a malformed FLASHDUTY_INTEGRATION_KEY is named, not skipped", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", `${FROM_ENV}\n`);
    vi.stubEnv("FLASHDUTY_PUSH_URL", PUSH_URL);
    expect(() => resolveKey()).toThrow(
      "The environment variable FLASHDUTY_INTEGRATION_KEY contains a control character.",
    );
  });

  test("a FLASHDUTY_PUSH_URL without a key is named", () => {
    vi.stubEnv("FLASHDUTY_PUSH_URL", "https://api.flashcat.cloud/event/push/alert/standard");
    expect(() => resolveKey()).toThrow(
      /^The environment variable FLASHDUTY_PUSH_URL \(https:\/\/api\.flashcat\.cloud\/…\) has no integration_key/,
    );
  });
});
