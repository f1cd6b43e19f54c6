import { describe, expect, test } from "vitest";
import { destinationOptions } from "./connection.js";

const pushUrl = "https://gw.test/fd/event/push/alert/standard?integration_key=from-url-key";

describe("destinationOptions", () => {
  test("reads the command's environment, not only process.env", () => {
    expect(destinationOptions({}, { FLASHDUTY_PUSH_URL: pushUrl })).toEqual({ pushUrl });
    expect(
      destinationOptions(
        {},
        { FLASHDUTY_INTEGRATION_KEY: "env-key", FLASHDUTY_BASE_URL: "http://127.0.0.1:8" },
      ),
    ).toEqual({ integrationKey: "env-key", baseUrl: "http://127.0.0.1:8" });
  });

  test("follows the SDK's order: a key beats a push URL, a push URL's base beats FLASHDUTY_BASE_URL", () => {
    const env = {
      FLASHDUTY_INTEGRATION_KEY: "env-key",
      FLASHDUTY_PUSH_URL: pushUrl,
      FLASHDUTY_BASE_URL: "http://b",
    };
    expect(destinationOptions({}, env)).toEqual({ integrationKey: "env-key", baseUrl: "http://b" });
    expect(destinationOptions({}, { ...env, FLASHDUTY_INTEGRATION_KEY: "" })).toEqual({ pushUrl });
    expect(destinationOptions({ key: "flag-key" }, env)).toEqual({
      integrationKey: "flag-key",
      baseUrl: "http://b",
    });
    expect(destinationOptions({ "push-url": pushUrl }, env)).toEqual({ pushUrl });
    expect(destinationOptions({ "push-url": pushUrl, "base-url": "http://c" }, env)).toEqual({
      pushUrl,
      baseUrl: "http://c",
    });
  });
});
