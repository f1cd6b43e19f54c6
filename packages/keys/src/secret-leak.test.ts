import { inspect } from "node:util";
import {
  errorFromResponse,
  FlashdutyError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  redact,
} from "@flash-call/errors";
import { afterEach, describe, expect, test, vi } from "vitest";
import { IntegrationKey } from "./integration-key.js";
import { clearKey, getKey, setKey } from "./key-store.js";
import { parsePushUrl } from "./parse-push-url.js";
import { resolveKey } from "./resolve-key.js";

/** Recognisable, and changed by URL encoding, so both forms are searched for. */
const KEY = "LEAK-keys/9c+d=0b5e1c2d3e4f5a6b7c8d";
const ENCODED = encodeURIComponent(KEY);
const PUSH_URL = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${ENCODED}`;

afterEach(() => {
  clearKey();
  vi.unstubAllEnvs();
});

function renderings(value: unknown): string[] {
  const error = value as Error & { cause?: unknown };
  return [
    error.message,
    String(error.stack),
    String(error),
    JSON.stringify(error),
    inspect(error),
    inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    String(error.cause),
    inspect(error.cause, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
  ];
}

function expectSafe(value: unknown): void {
  expect(FlashdutyError.isInstance(value)).toBe(true);
  for (const text of renderings(value)) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(ENCODED);
  }
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("no failure path prints the key", () => {
  test.each([
    ["leading whitespace", ` ${KEY}`],
    ["trailing newline", `${KEY}\n`],
    ["inner space", `${KEY} ${KEY}`],
    ["control character", `${KEY}\u0007`],
    ["tab", `${KEY}\t`],
  ])("malformed key (%s) in every entry point", (_name, malformed) => {
    expectSafe(thrownBy(() => new IntegrationKey(malformed)));
    expectSafe(thrownBy(() => setKey(malformed, { user: "u" })));
    expectSafe(thrownBy(() => resolveKey(malformed)));
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", malformed);
    expectSafe(thrownBy(() => resolveKey()));
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", "");
    const url = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${encodeURIComponent(malformed)}`;
    expectSafe(thrownBy(() => parsePushUrl(url)));
    vi.stubEnv("FLASHDUTY_PUSH_URL", url);
    expectSafe(thrownBy(() => resolveKey()));
  });

  test.each([
    ["a bare key instead of a URL", KEY],
    ["an encoded bare key", ENCODED],
    ["another scheme", `ftp://h/event/push/alert/standard?integration_key=${ENCODED}`],
    ["the key under another name", `https://h/event/push/alert/standard?key=${ENCODED}`],
    ["the key in the fragment", `https://h/event/push/alert/standard#integration_key=${ENCODED}`],
    ["a broken URL around the key", `https//h?integration_key=${ENCODED}`],
  ])("parsePushUrl failure: %s", (_name, url) => {
    expectSafe(thrownBy(() => parsePushUrl(url)));
    vi.stubEnv("FLASHDUTY_PUSH_URL", url);
    expectSafe(thrownBy(() => resolveKey()));
  });

  test("no key anywhere", () => {
    expectSafe(thrownBy(() => resolveKey()));
  });

  test("server errors and wrapped causes once a key is in use", () => {
    const key = new IntegrationKey(KEY);
    expect(key.reveal()).toBe(KEY);
    expectSafe(
      errorFromResponse(400, { error: { code: "InvalidParameter", message: `invalid key ${KEY}` } }),
    );
    expectSafe(
      errorFromResponse(404, { error: { code: "RouteNotFound", message: `no route for ${PUSH_URL}` } }),
    );
    expectSafe(errorFromResponse(502, `<html><title>${PUSH_URL}</title></html>`));
    expectSafe(new FlashdutyNetworkError(undefined, { cause: new TypeError(`fetch ${PUSH_URL} failed`) }));
    expectSafe(
      new FlashdutyTimeoutError(undefined, {
        cause: new Error("outer", { cause: Object.assign(new Error(KEY), { request: { key: ENCODED } }) }),
      }),
    );
  });

  test("key objects and state never print it", () => {
    setKey(KEY, { user: "u" });
    const stored = getKey();
    const resolved = resolveKey();
    for (const text of [
      JSON.stringify(stored),
      inspect(stored, { depth: 10, showHidden: true }),
      JSON.stringify(resolved),
      inspect(resolved, { depth: 10, showHidden: true }),
      `${resolved.key}`,
      redact(`${KEY} ${ENCODED} ${PUSH_URL}`),
    ]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(ENCODED);
    }
  });
});
