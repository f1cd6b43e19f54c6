import { FlashdutyConfigError } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { IntegrationKey } from "./integration-key.js";
import { clearKey, getKey, setKey } from "./key-store.js";

const RAW = "store-0123456789abcdef0123456789";

afterEach(() => clearKey());

describe("setKey / getKey / clearKey", () => {
  test("stores the key with its identity", () => {
    setKey(RAW, { user: "ops-bot", strategy: "db" });
    const stored = getKey();
    expect(stored?.key.reveal()).toBe(RAW);
    expect(stored).toMatchObject({ user: "ops-bot", strategy: "db" });
  });

  test("omits what was not given", () => {
    setKey(RAW);
    expect(Object.keys(getKey() ?? {})).toEqual(["key"]);
  });

  test("accepts an IntegrationKey", () => {
    const key = new IntegrationKey(RAW);
    setKey(key);
    expect(getKey()?.key).toBe(key);
  });

  test("replaces the previous key and identity", () => {
    setKey(RAW, { user: "a" });
    setKey(`${RAW}-2`);
    expect(getKey()?.key.reveal()).toBe(`${RAW}-2`);
    expect(getKey()?.user).toBeUndefined();
  });

  test("clearKey forgets it", () => {
    setKey(RAW);
    clearKey();
    expect(getKey()).toBeUndefined();
  });

  test("getKey returns a copy", () => {
    setKey(RAW, { user: "a" });
    const copy = getKey();
    if (copy) copy.user = "changed";
    expect(getKey()?.user).toBe("a");
  });

  test("rejects a malformed key and keeps the previous one", () => {
    setKey(RAW);
    expect(() => setKey(" ")).toThrow(FlashdutyConfigError);
    expect(() => setKey(" ")).toThrow("The key given to setKey() is only whitespace.");
    expect(getKey()?.key.reveal()).toBe(RAW);
  });

  test("options that cannot be read are a ConfigError that keeps the previous key and identity", () => {
    setKey(RAW, { user: "ops-bot" });
    const other = "other-0123456789abcdef0123456789";
    const options = {
      get strategy(): string {
        throw new Error(`the getter quotes ${other}`);
      },
    };
    const error = (() => {
      try {
        setKey(other, options);
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    expect(error?.message).not.toContain(other);
    expect(getKey()?.key.reveal()).toBe(RAW);
    expect(getKey()?.user).toBe("ops-bot");
  });
});
