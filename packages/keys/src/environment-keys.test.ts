import { maskKey, redact } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { destinationLevel, resolveDestination } from "./resolve-destination.js";

const DEFAULT = "https://api.flashcat.cloud";

function resolve(endpoint: "alert" | "change", env: Record<string, string>) {
  return resolveDestination({
    levels: [],
    env: (name) => env[name] || undefined,
    defaultBaseUrl: DEFAULT,
    explicitly: "pass integrationKey",
    endpoint,
  });
}

describe("the keys of the integrations the environment names, whichever one a push uses", () => {
  test("an alert push masks the change integration's key and push URL key", () => {
    const changeKey = "Qm4Tz8Rw2Yx6Lp0Nc3Vb7Hd5Kf9Sg1Ja";
    const changeUrlKey = "Wn5Ek9Pu3Cz7Go1Ir4Xs8Mv2Bt6Ah0Dl";
    resolve("alert", {
      FLASHDUTY_INTEGRATION_KEY: "Ty3Ub7Ic1Od5Pe9Af2Sg6Dh0Fj4Gk8Hl",
      FLASHDUTY_CHANGE_INTEGRATION_KEY: changeKey,
      FLASHDUTY_CHANGE_PUSH_URL: `https://api.flashcat.cloud/event/push/change/standard?integration_key=${changeUrlKey}`,
    });
    expect(redact(`title ${changeKey} ${changeUrlKey.toUpperCase()}`)).toBe(
      `title ${maskKey(changeKey)} ${maskKey(changeUrlKey)}`,
    );
  });

  test("a change push masks the alert integration's key and push URL key", () => {
    const alertKey = "Zx1Cv5Bn9Mq3Wr7Et2Yu6Io0Pa4Sd8Fg";
    const alertUrlKey = "Hj2Kl6Zm0Xn4Cb8Vq1Wp5Er9Ty3Ui7Oa";
    resolve("change", {
      FLASHDUTY_CHANGE_INTEGRATION_KEY: "Lk7Jh1Gf5Ds9Ap3Qw8Er2Ty6Ui0Op4Mn",
      FLASHDUTY_INTEGRATION_KEY: alertKey,
      FLASHDUTY_PUSH_URL: `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${alertUrlKey}`,
    });
    expect(redact(`title ${alertKey} ${alertUrlKey}`)).toBe(
      `title ${maskKey(alertKey)} ${maskKey(alertUrlKey)}`,
    );
  });

  test("a push with a key of its own masks the environment's keys too, and a push URL that does not parse is no error", () => {
    const unusedKey = "Rb3Nv7Mc1Xz5Lk9Jh2Gf6Ds0Ap4Qw8Ey";
    const names = { integrationKey: "k", pushUrl: "u", baseUrl: "b", instead: "i" };
    resolveDestination({
      levels: [destinationLevel({ integrationKey: "Ps6Od0Ia4Uf8Yg2Th7Rj1Ek5Wl9Qz3Xc" }, names, DEFAULT)],
      env: (name) =>
        ({ FLASHDUTY_INTEGRATION_KEY: unusedKey, FLASHDUTY_CHANGE_PUSH_URL: "not a url?integration_key" })[
          name
        ],
      defaultBaseUrl: DEFAULT,
      explicitly: "pass integrationKey",
    });
    expect(redact(unusedKey)).toBe(maskKey(unusedKey));
  });

  test("a push URL set as the key variable: its key is masked, and URLs in later messages are not", () => {
    const inside = "envUrlKey0a1b2c3d4e5f6a7b";
    const names = { integrationKey: "k", pushUrl: "u", baseUrl: "b", instead: "i" };
    resolveDestination({
      levels: [destinationLevel({ integrationKey: "Wq2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz9Xc" }, names, DEFAULT)],
      env: (name) =>
        ({
          FLASHDUTY_CHANGE_INTEGRATION_KEY: `https://api.flashcat.cloud/event/push/change/standard?integration_key=${inside}`,
        })[name],
      defaultBaseUrl: DEFAULT,
      explicitly: "pass integrationKey",
    });
    expect(redact(inside)).toBe(maskKey(inside));
    expect(redact("see https://api.flashcat.cloud/event/push/change/standard")).toBe(
      "see https://api.flashcat.cloud/event/push/change/standard",
    );
  });
});
