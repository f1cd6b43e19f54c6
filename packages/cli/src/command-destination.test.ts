import { describe, expect, test } from "vitest";
import { commandDestination, pushUrlOf } from "./command-destination.js";

const pushUrl = "https://gw.test/fd/event/push/alert/standard?integration_key=from-url-key-0123&channel=7";
const ENV_KEY = "env-key-0123456789abcdef";
const FLAG_KEY = "flag-key-0123456789abcdef";

describe("commandDestination", () => {
  test("reads the command's environment, not only process.env", () => {
    expect(commandDestination({}, { FLASHDUTY_PUSH_URL: pushUrl })).toMatchObject({
      baseUrl: "https://gw.test/fd",
      source: "FLASHDUTY_PUSH_URL",
      query: { channel: "7" },
    });
    const fromEnv = commandDestination(
      {},
      { FLASHDUTY_INTEGRATION_KEY: ENV_KEY, FLASHDUTY_BASE_URL: "http://127.0.0.1:8" },
    );
    expect(fromEnv.key.reveal()).toBe(ENV_KEY);
    expect(fromEnv.baseUrl).toBe("http://127.0.0.1:8");
  });

  test("flags › FLASHDUTY_INTEGRATION_KEY › FLASHDUTY_PUSH_URL; a push URL's base only with its key", () => {
    const env = {
      FLASHDUTY_INTEGRATION_KEY: ENV_KEY,
      FLASHDUTY_PUSH_URL: pushUrl,
      FLASHDUTY_BASE_URL: "http://b",
    };
    expect(commandDestination({}, env)).toMatchObject({
      baseUrl: "http://b",
      source: "FLASHDUTY_INTEGRATION_KEY",
    });
    expect(commandDestination({}, { ...env, FLASHDUTY_INTEGRATION_KEY: "" }).baseUrl).toBe(
      "https://gw.test/fd",
    );
    const flag = commandDestination({ key: FLAG_KEY }, env);
    expect(flag.key.reveal()).toBe(FLAG_KEY);
    expect(flag.baseUrl).toBe("http://b");
    expect(commandDestination({ "push-url": pushUrl }, env).baseUrl).toBe("https://gw.test/fd");
    expect(commandDestination({ "push-url": pushUrl, "base-url": "http://c" }, env).baseUrl).toBe("http://c");
  });

  test("names flags and variables, not SDK options, when no key or a bad one is configured", () => {
    expect(() => commandDestination({}, {})).toThrow(
      "No Flashduty integration key found: pass --key or --push-url (not given), or set FLASHDUTY_INTEGRATION_KEY (not set) or FLASHDUTY_PUSH_URL (not set).",
    );
    expect(() =>
      commandDestination({}, { FLASHDUTY_INTEGRATION_KEY: "paste your integration key here" }),
    ).toThrow(/^The environment variable FLASHDUTY_INTEGRATION_KEY contains whitespace/);
    expect(() => commandDestination({ key: "" }, {})).toThrow(/^--key is empty/);
    expect(() => commandDestination({ "push-url": " " }, { FLASHDUTY_PUSH_URL: pushUrl })).toThrow(
      /^--push-url is empty/,
    );
    expect(() => commandDestination({ key: FLAG_KEY, "push-url": pushUrl }, {})).toThrow(
      /^--key and --push-url both give the key: pass one/,
    );
    expect(() => commandDestination({ key: FLAG_KEY, "base-url": "nope" }, {})).toThrow(
      /^--base-url \(4 characters\)/,
    );
  });
});

describe("pushUrlOf", () => {
  test("the push URL of the configuration that supplied the key, for its query parameters", () => {
    const env = { FLASHDUTY_PUSH_URL: pushUrl };
    expect(pushUrlOf({}, env, commandDestination({}, env))).toBe(pushUrl);
    const keyed = { ...env, FLASHDUTY_INTEGRATION_KEY: ENV_KEY };
    expect(pushUrlOf({}, keyed, commandDestination({}, keyed))).toBeUndefined();
    expect(pushUrlOf({ "push-url": pushUrl }, {}, commandDestination({ "push-url": pushUrl }, {}))).toBe(
      pushUrl,
    );
  });
});
