import { FlashdutyConfigError } from "@flash-call/errors";
import { afterEach, expect, test } from "vitest";
import { identityLabels } from "./identity-labels.js";
import { clearKey, getKey, setKey } from "./key-store.js";
import { parsePushUrl } from "./parse-push-url.js";
import { resolveKey } from "./resolve-key.js";

const KEY = "readIdentityKey0123456789abcdef";

afterEach(() => clearKey());

/** What the call threw, or `undefined`. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

const hostile = new Proxy(
  {},
  {
    get: () => {
      throw new Error(`trap ${KEY}`);
    },
    getPrototypeOf: () => {
      throw new Error(`trap ${KEY}`);
    },
  },
);

test("identityLabels answers plain JavaScript's anything with labels or a config error, never a TypeError", () => {
  expect(identityLabels(null as never)).toEqual({});
  expect(identityLabels(undefined)).toEqual({});
  for (const given of [
    hostile,
    42,
    "ops-bot",
    { user: 42 },
    { strategy: Symbol("s") },
    { user: { name: "x" } },
  ]) {
    const error = thrownBy(() => identityLabels(given as never));
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain(KEY);
  }
});

test("setKey refuses a user or strategy that is not a string, keeping the previous key and identity", () => {
  setKey(KEY, { user: "ops-bot" });
  expect(thrownBy(() => setKey(`${KEY}-2`, { user: 42 } as never))).toBeInstanceOf(FlashdutyConfigError);
  expect(getKey()?.key.reveal()).toBe(KEY);
  expect(getKey()?.user).toBe("ops-bot");
  setKey(`${KEY}-3`, null as never);
  expect(getKey()?.user).toBeUndefined();
});

test("a Proxy given as the key is a config error, not its trap's error", () => {
  for (const call of [() => setKey(hostile as never), () => resolveKey(hostile as never)]) {
    const error = thrownBy(call);
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain(KEY);
  }
});

test("parsePushUrl names a URL whose description is not a string the default way", () => {
  const error = thrownBy(() => parsePushUrl("ftp://x", Symbol("what") as never));
  expect(FlashdutyConfigError.isInstance(error)).toBe(true);
  expect((error as Error).message).toMatch(/^The push URL /);
});
