import { redact } from "@flash-call/keys";
import { describe, expect, test } from "vitest";
import { registerGivenSecrets } from "./environment-secrets.js";

describe("registerGivenSecrets", () => {
  test("masks keys from the environment and from --key / --push-url, in every form", () => {
    const fromEnv = "env-key-0123456789";
    const fromUrl = "url-key-0123456789";
    const fromFlag = "flag-key-0123456789";
    const fromFlagUrl = "flag-url-key-01234";
    registerGivenSecrets(
      [
        "push",
        "--key",
        fromFlag,
        `--push-url=https://x.test/event/push/alert/standard?integration_key=${fromFlagUrl}`,
      ],
      {
        FLASHDUTY_INTEGRATION_KEY: fromEnv,
        FLASHDUTY_PUSH_URL: `https://x.test/event/push/alert/standard?integration_key=${fromUrl}`,
      },
    );
    const text = redact(`unexpected argument ${fromEnv} ${fromUrl} ${fromFlag} ${fromFlagUrl}`);
    for (const key of [fromEnv, fromUrl, fromFlag, fromFlagUrl]) expect(text).not.toContain(key);
  });

  test("masks the change integration's key and push URL from the environment", () => {
    const changeKey = "change-env-key-0123456789";
    const changeUrlKey = "change-url-key-0123456789";
    registerGivenSecrets(["change"], {
      FLASHDUTY_CHANGE_INTEGRATION_KEY: changeKey,
      FLASHDUTY_CHANGE_PUSH_URL: `https://x.test/event/push/change/standard?integration_key=${changeUrlKey}`,
    });
    const text = redact(`unexpected argument ${changeKey} ${changeUrlKey}`);
    for (const key of [changeKey, changeUrlKey]) expect(text).not.toContain(key.slice(0, 12));
  });

  test("masks the key of a push URL that does not parse, whatever the case of its parameter's name", () => {
    const mixedCase = "mixed-case-key-0123456789";
    registerGivenSecrets(["push"], {
      FLASHDUTY_PUSH_URL: `not a url?Integration_Key=${mixedCase}&INTEGRATION_KEY=form+encoded+key+0123`,
    });
    const text = redact(`unexpected argument ${mixedCase} form+encoded+key+0123 form encoded key 0123`);
    for (const key of [mixedCase, "form+encoded+key+0123", "form encoded key 0123"])
      expect(text).not.toContain(key);
  });

  test("takes a flag after a mistyped --key for the next flag, not a key", () => {
    registerGivenSecrets(["push", "--key=", "--next-flag-0123", "-key", "\u2014next-flag-4567"], {});
    expect(redact("--next-flag-0123 \u2014next-flag-4567")).toBe("--next-flag-0123 \u2014next-flag-4567");
  });

  test("ignores what is not a usable push URL, and a --key without a value", () => {
    expect(() => registerGivenSecrets(["push", "--key"], { FLASHDUTY_PUSH_URL: "not a url" })).not.toThrow();
  });
});

describe("registerGivenSecrets with hostile values", () => {
  test.each([
    ["empty", ""],
    ["blank", "   "],
    ["7 characters", "k7chars"],
    ["control characters", "ctl\u001b[2J\u0000key\r\n-0123456789"],
    ["a lone surrogate", "lone\ud800surrogate-0123456789"],
    ["100 KB", "h".repeat(50_000) + "H".repeat(50_000)],
  ])("%s never throws, from --key, --key=, the environment or a push URL", (_name, key) => {
    expect(() =>
      registerGivenSecrets(
        ["push", "--key", key, `--key=${key}`, "--push-url", `https://x.test/p?integration_key=${key}`],
        {
          FLASHDUTY_INTEGRATION_KEY: key,
          FLASHDUTY_PUSH_URL: `https://x.test/event/push/alert/standard?${key}`,
        },
      ),
    ).not.toThrow();
  });

  test("a key with control characters is masked in its JSON-quoted form too", () => {
    const key = 'json\u0001quoted"key\\-0123456789';
    registerGivenSecrets([], { FLASHDUTY_INTEGRATION_KEY: key });
    const quoted = redact(`unexpected argument ${JSON.stringify(key)}`);
    expect(quoted).not.toContain("key\\\\-0123456789");
    expect(quoted).not.toContain("quoted");
  });

  test("the key of a malformed push URL, and of a bare query, is registered", () => {
    registerGivenSecrets([], {
      FLASHDUTY_PUSH_URL: "https://x.test:99999/p?integration_key=malformed-url-key-0123",
    });
    registerGivenSecrets(
      ["--push-url", "https://x.test/event/push/alert/standard?bare-query-key-0123456"],
      {},
    );
    expect(redact("malformed-url-key-0123 bare-query-key-0123456")).not.toMatch(
      /malformed-url-key|bare-query-key/,
    );
  });

  test("a push URL given as a key: its key is registered, and the words of every URL are not", () => {
    const pushUrl =
      "https://api.flashcat.cloud/event/push/alert/standard?integration_key=url-as-key-0a1b2c3d4e";
    registerGivenSecrets(["push", "--key", pushUrl], { FLASHDUTY_CHANGE_INTEGRATION_KEY: pushUrl });
    expect(redact("url-as-key-0a1b2c3d4e")).not.toContain("url-as-key");
    const line =
      "FLASHDUTY_INTEGRATION_KEY is a URL: see https://api.flashcat.cloud/event/push/alert/standard";
    expect(redact(line)).toBe(line);
  });
});
