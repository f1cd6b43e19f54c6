import { FlashdutyConfigError, maskKey } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { clearKey, setKey } from "./key-store.js";
import { parsePushUrl } from "./parse-push-url.js";
import { destinationLevel, resolveDestination, type SettingNames } from "./resolve-destination.js";

const DEFAULT = "https://api.flashcat.cloud";
const NAMES: SettingNames = {
  integrationKey: "--key",
  pushUrl: "--push-url",
  baseUrl: "--base-url",
  instead: "pass a push URL as --push-url",
};
const ALERT_KEY = "alert-0123456789abcdef0123456";
const CHANGE_KEY = "change-0123456789abcdef012345";
const URL_KEY = "curl-0123456789abcdef01234567";
const CHANGE_URL = `https://proxy.example/fd/event/push/change/standard?integration_key=${URL_KEY}&channel=7`;
const ALERT_URL = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${URL_KEY}`;

afterEach(() => clearKey());

function resolveChange(flags: Parameters<typeof destinationLevel>[0], env: Record<string, string>) {
  return resolveDestination({
    levels: [destinationLevel(flags, NAMES, DEFAULT)],
    env: (name) => env[name] || undefined,
    defaultBaseUrl: DEFAULT,
    explicitly: "pass --key or --push-url",
    endpoint: "change",
  });
}

/** The message of the error `run` throws, checked to be a config error that quotes no key. */
function configMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FlashdutyConfigError);
    const message = (error as Error).message;
    for (const key of [ALERT_KEY, CHANGE_KEY, URL_KEY]) {
      for (let at = 0; at + 8 <= key.length; at++) expect(message).not.toContain(key.slice(at, at + 8));
    }
    return message;
  }
  throw new Error("expected a FlashdutyConfigError");
}

describe("parsePushUrl: which endpoint a push URL names", () => {
  test("a change push URL is recognised: its base is the part before the change path", () => {
    const parsed = parsePushUrl(CHANGE_URL);
    expect(parsed).toMatchObject({
      endpoint: "change",
      baseUrl: "https://proxy.example/fd",
      integrationKey: URL_KEY,
      query: { channel: "7" },
    });
    expect(parsePushUrl(ALERT_URL).endpoint).toBe("alert");
    expect(parsePushUrl(`https://proxy.example/fd?integration_key=${URL_KEY}`).endpoint).toBeUndefined();
  });
});

describe("resolveDestination for changes: its own sources, never the alert's", () => {
  test("the change variables are read, in order: the key, then the push URL", () => {
    const env = { FLASHDUTY_CHANGE_INTEGRATION_KEY: CHANGE_KEY, FLASHDUTY_CHANGE_PUSH_URL: CHANGE_URL };
    expect(resolveChange({}, env)).toMatchObject({
      source: "FLASHDUTY_CHANGE_INTEGRATION_KEY",
      baseUrl: DEFAULT,
    });
    expect(resolveChange({}, env).key.reveal()).toBe(CHANGE_KEY);
    const fromUrl = resolveChange({}, { FLASHDUTY_CHANGE_PUSH_URL: CHANGE_URL });
    expect(fromUrl).toMatchObject({
      source: "FLASHDUTY_CHANGE_PUSH_URL",
      baseUrl: "https://proxy.example/fd",
      query: { channel: "7" },
    });
  });

  test("a level beats the change variables", () => {
    const destination = resolveChange(
      { integrationKey: ALERT_KEY },
      { FLASHDUTY_CHANGE_INTEGRATION_KEY: CHANGE_KEY },
    );
    expect(destination.source).toBe("explicit");
    expect(destination.key.masked).toBe(maskKey(ALERT_KEY));
  });

  test("never falls back to the alert key, setKey or the alert variables: the error names the change places", () => {
    setKey(ALERT_KEY);
    const message = configMessage(() =>
      resolveChange({}, { FLASHDUTY_INTEGRATION_KEY: ALERT_KEY, FLASHDUTY_PUSH_URL: ALERT_URL }),
    );
    expect(message).toContain("change integration key");
    expect(message).toContain("FLASHDUTY_CHANGE_INTEGRATION_KEY");
    expect(message).toContain("FLASHDUTY_CHANGE_PUSH_URL");
    expect(message).toContain("--key");
  });

  test("an alert push URL given for changes is refused, from a level or the environment", () => {
    expect(configMessage(() => resolveChange({ pushUrl: ALERT_URL }, {}))).toContain("alert integration's");
    expect(configMessage(() => resolveChange({}, { FLASHDUTY_CHANGE_PUSH_URL: ALERT_URL }))).toContain(
      "/event/push/change/standard",
    );
  });

  test("and a change push URL given for alerts is refused too", () => {
    const message = configMessage(() =>
      resolveDestination({
        levels: [destinationLevel({ pushUrl: CHANGE_URL }, NAMES, DEFAULT)],
        env: () => undefined,
        defaultBaseUrl: DEFAULT,
        explicitly: "pass --key",
      }),
    );
    expect(message).toContain("change integration's");
    expect(message).toContain("need the push URL of an alert integration (");
  });
});
