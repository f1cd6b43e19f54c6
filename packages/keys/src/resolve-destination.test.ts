import { FlashdutyConfigError, registerSecret } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { clearKey, setKey } from "./key-store.js";
import {
  type DestinationSources,
  destinationLevel,
  resolveDestination,
  type SettingNames,
} from "./resolve-destination.js";

const DEFAULT = "https://api.flashcat.cloud";
const FLAG_NAMES: SettingNames = {
  integrationKey: "--key",
  pushUrl: "--push-url",
  baseUrl: "--base-url",
  instead: "pass a push URL as --push-url",
};
const FLAG_KEY = "flag-0123456789abcdef01234567";
const ENV_KEY = "env-0123456789abcdef012345678";
const STORED = "stored-0123456789abcdef012345";
const URL_KEY = "url-0123456789abcdef012345678";
const PUSH_URL = `https://proxy.example/fd/event/push/alert/standard?integration_key=${URL_KEY}&channel=7`;

afterEach(() => clearKey());

function resolve(
  flags: Parameters<typeof destinationLevel>[0],
  env: Record<string, string>,
  more: Partial<DestinationSources> = {},
) {
  return resolveDestination({
    levels: [destinationLevel(flags, FLAG_NAMES, DEFAULT)],
    env: (name) => env[name] || undefined,
    defaultBaseUrl: DEFAULT,
    explicitly: "pass --key or --push-url",
    ...more,
  });
}

describe("resolveDestination: the key", () => {
  test("a level's key beats its push URL's, and any level beats the environment", () => {
    const both = resolve(
      { integrationKey: FLAG_KEY, pushUrl: PUSH_URL },
      { FLASHDUTY_INTEGRATION_KEY: ENV_KEY },
    );
    expect(both.key.reveal()).toBe(FLAG_KEY);
    expect(both.source).toBe("explicit");
    expect(resolve({ pushUrl: PUSH_URL }, { FLASHDUTY_INTEGRATION_KEY: ENV_KEY }).key.reveal()).toBe(URL_KEY);
  });

  test("then setKey (only when asked), then FLASHDUTY_INTEGRATION_KEY, then FLASHDUTY_PUSH_URL", () => {
    setKey(STORED, { user: "u" });
    const env = { FLASHDUTY_INTEGRATION_KEY: ENV_KEY, FLASHDUTY_PUSH_URL: PUSH_URL };
    expect(resolve({}, env, { setKey: true })).toMatchObject({ source: "setKey", user: "u" });
    expect(resolve({}, env).source).toBe("FLASHDUTY_INTEGRATION_KEY");
    expect(resolve({}, { FLASHDUTY_PUSH_URL: PUSH_URL }).source).toBe("FLASHDUTY_PUSH_URL");
  });

  test("none: one message naming every place, in the caller's words", () => {
    expect(() => resolve({}, {})).toThrow(
      "No Flashduty integration key found: pass --key or --push-url (not given), or set FLASHDUTY_INTEGRATION_KEY (not set) or FLASHDUTY_PUSH_URL (not set).",
    );
  });

  test("a malformed setting is named as the caller names it", () => {
    expect(() => resolve({ integrationKey: "has space in it" }, {})).toThrow(/^--key contains whitespace/);
    expect(() => resolve({ pushUrl: "nope" }, {})).toThrow(/^--push-url is not a URL/);
    expect(() => resolve({ baseUrl: "ftp://x" }, { FLASHDUTY_INTEGRATION_KEY: ENV_KEY })).toThrow(
      /^--base-url \(7 characters\) is not an absolute http\(s\) URL/,
    );
    expect(() => resolve({}, { FLASHDUTY_INTEGRATION_KEY: " x " })).toThrow(
      /^The environment variable FLASHDUTY_INTEGRATION_KEY has leading or trailing whitespace/,
    );
    expect(() =>
      resolve({}, { FLASHDUTY_INTEGRATION_KEY: ENV_KEY, FLASHDUTY_BASE_URL: "https://x/?integration_key=k" }),
    ).toThrow(/^The environment variable FLASHDUTY_BASE_URL must not carry a query/);
  });
});

describe("resolveDestination: the base URL goes with the key's configuration", () => {
  test("a push URL carries its own base and query parameters", () => {
    const destination = resolve({}, { FLASHDUTY_PUSH_URL: PUSH_URL, FLASHDUTY_BASE_URL: "http://other" });
    expect(destination.baseUrl).toBe("https://proxy.example/fd");
    expect(destination.query).toEqual({ channel: "7" });
  });

  test("a key from the environment or setKey never borrows FLASHDUTY_PUSH_URL's base", () => {
    const env = { FLASHDUTY_INTEGRATION_KEY: ENV_KEY, FLASHDUTY_PUSH_URL: PUSH_URL };
    expect(resolve({}, env)).toMatchObject({ baseUrl: DEFAULT, query: {} });
    expect(resolve({}, { ...env, FLASHDUTY_BASE_URL: "http://127.0.0.1:9/" }).baseUrl).toBe(
      "http://127.0.0.1:9",
    );
    setKey(STORED);
    expect(resolve({}, { FLASHDUTY_PUSH_URL: PUSH_URL }, { setKey: true }).baseUrl).toBe(DEFAULT);
    expect(resolve({ integrationKey: FLAG_KEY }, { FLASHDUTY_PUSH_URL: PUSH_URL }).baseUrl).toBe(DEFAULT);
  });

  test("a level's base URL applies to a key from below it, and beats its own push URL's base", () => {
    const env = { FLASHDUTY_PUSH_URL: PUSH_URL };
    expect(resolve({ baseUrl: "http://127.0.0.1:8/api/" }, env)).toMatchObject({
      baseUrl: "http://127.0.0.1:8/api",
      key: expect.objectContaining({ masked: expect.any(String) }),
    });
    expect(resolve({ pushUrl: PUSH_URL, baseUrl: "http://c" }, {}).baseUrl).toBe("http://c");
  });

  test("the first level that names a destination wins; a higher level's key takes no lower push URL's query", () => {
    const instance = destinationLevel({ pushUrl: PUSH_URL }, FLAG_NAMES, DEFAULT);
    const call = destinationLevel({ integrationKey: FLAG_KEY }, FLAG_NAMES, DEFAULT);
    const destination = resolveDestination({
      levels: [call, instance],
      env: () => undefined,
      defaultBaseUrl: DEFAULT,
      explicitly: "pass integrationKey",
    });
    expect(destination.key.reveal()).toBe(FLAG_KEY);
    expect(destination.baseUrl).toBe("https://proxy.example/fd");
    expect(destination.query).toEqual({});
  });
});

describe("resolveDestination: a base URL never holds a key", () => {
  const PATH_KEY = "path-0123456789abcdef0123456";
  const refusal = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(FlashdutyConfigError);
      return (error as Error).message;
    }
    throw new Error("not refused");
  };

  test.each([
    ["the key itself", (key: string) => key],
    ["a piece of it, in capitals", (key: string) => key.slice(3, 14).toUpperCase()],
    [
      "percent-encoded",
      (key: string) => [...key].map((unit) => `%${unit.charCodeAt(0).toString(16)}`).join(""),
    ],
  ])("in a flag's base URL path, %s: refused, naming the flag, never quoting the URL", (_, form) => {
    const message = refusal(() =>
      resolve({ baseUrl: `http://127.0.0.1:9/${form(PATH_KEY)}/` }, { FLASHDUTY_INTEGRATION_KEY: PATH_KEY }),
    );
    expect(message).toMatch(/^--base-url holds an integration key \(or a piece of one\); .*--push-url/);
    expect(message).not.toContain(PATH_KEY.slice(5, 13));
  });

  test("from FLASHDUTY_BASE_URL, a push URL's path, or FLASHDUTY_PUSH_URL's path: each named", () => {
    const inPath = `https://proxy.example/${PATH_KEY}/event/push/alert/standard?integration_key=${PATH_KEY}`;
    expect(
      refusal(() =>
        resolve({}, { FLASHDUTY_INTEGRATION_KEY: PATH_KEY, FLASHDUTY_BASE_URL: `http://h/${PATH_KEY}` }),
      ),
    ).toMatch(/^The environment variable FLASHDUTY_BASE_URL holds/);
    expect(refusal(() => resolve({ pushUrl: inPath }, {}))).toMatch(/^--push-url's path holds/);
    expect(refusal(() => resolve({}, { FLASHDUTY_PUSH_URL: inPath }))).toMatch(
      /^The environment variable FLASHDUTY_PUSH_URL's path holds/,
    );
  });

  test("only the destination's own key counts: a secret registered elsewhere refuses no base URL", () => {
    // A secret beginning with https:// (a DSN, say) shares its first 8 characters with every https URL.
    registerSecret("https://o123.ingest.example.io/4505");
    expect(resolve({}, { FLASHDUTY_INTEGRATION_KEY: ENV_KEY }).baseUrl).toBe(DEFAULT);
    // Another key of this process (one sharing no 8 characters with this one) is not this destination's key.
    const other = "other-QZXJKVqzxjkvQZXJKVqzxjkv";
    registerSecret(other);
    expect(resolve({ integrationKey: FLAG_KEY, baseUrl: `http://h/x${other}` }, {}).baseUrl).toBe(
      `http://h/x${other}`,
    );
    expect(resolve({ integrationKey: FLAG_KEY, baseUrl: "http://h/0123456/fd/" }, {}).baseUrl).toBe(
      "http://h/0123456/fd",
    );
  });

  test("a key under 8 characters is not looked for in a path, where it could be any word", () => {
    expect(resolve({ integrationKey: "alerts", baseUrl: "https://gw.example/alerts/" }, {}).baseUrl).toBe(
      "https://gw.example/alerts",
    );
  });
});

describe("resolveDestination and destinationLevel given plain JavaScript's garbage", () => {
  /** The FlashdutyConfigError `call` throws, never a TypeError. */
  const refusal = (call: () => unknown): string => {
    try {
      call();
    } catch (error) {
      expect(FlashdutyConfigError.isInstance(error)).toBe(true);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };
  const sources = (more: Record<string, unknown>) =>
    ({ levels: [], defaultBaseUrl: DEFAULT, explicitly: "pass integrationKey", ...more }) as never;

  test("resolveDestination names the field it cannot read, never quoting a string", () => {
    for (const value of [null, undefined, 42, "sources"]) {
      expect(refusal(() => resolveDestination(value as never))).toMatch(
        /^resolveDestination\(\)'s sources must be an object, not /,
      );
    }
    expect(refusal(() => resolveDestination(sources({ levels: null })))).toBe(
      "resolveDestination()'s levels must be an array of objects, not null.",
    );
    expect(refusal(() => resolveDestination(sources({ levels: [null] })))).toMatch(
      /^resolveDestination\(\)'s levels must be/,
    );
    expect(refusal(() => resolveDestination(sources({ env: {} })))).toBe(
      "resolveDestination()'s env must be a function, not an object.",
    );
    expect(refusal(() => resolveDestination(sources({ endpoint: FLAG_KEY })))).toBe(
      'resolveDestination()\'s endpoint must be "alert" or "change".',
    );
  });

  test("destinationLevel names its settings and names", () => {
    for (const value of [null, 42, "settings"]) {
      expect(refusal(() => destinationLevel(value as never, FLAG_NAMES, DEFAULT))).toMatch(
        /^destinationLevel\(\)'s settings must be an object, not /,
      );
      expect(refusal(() => destinationLevel({ pushUrl: PUSH_URL }, value as never, DEFAULT))).toMatch(
        /^destinationLevel\(\)'s names must be an object, not /,
      );
    }
  });
});
