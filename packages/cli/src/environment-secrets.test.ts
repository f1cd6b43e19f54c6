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

  test("ignores what is not a usable push URL, and a --key without a value", () => {
    expect(() => registerGivenSecrets(["push", "--key"], { FLASHDUTY_PUSH_URL: "not a url" })).not.toThrow();
  });
});
