import { FlashdutyConfigError } from "@flash-call/errors";
import { hasEnv, readEnv } from "./env.js";
import { IntegrationKey } from "./integration-key.js";
import { getKey } from "./key-store.js";
import { parsePushUrl } from "./parse-push-url.js";

/** Where {@link resolveKey} found the key. */
export type KeySource = "explicit" | "setKey" | "FLASHDUTY_INTEGRATION_KEY" | "FLASHDUTY_PUSH_URL";

/** The key to push with, and where it came from. */
export interface ResolvedKey {
  key: IntegrationKey;
  source: KeySource;
  /** The base URL of `FLASHDUTY_PUSH_URL`; set only when the key came from it. */
  baseUrl?: string;
  /** The `user` given to `setKey`. */
  user?: string;
  /** The `strategy` given to `setKey`. */
  strategy?: string;
}

/**
 * Finds the integration key to push with, in this order: the explicit argument › {@link setKey} › the
 * `FLASHDUTY_INTEGRATION_KEY` environment variable › `FLASHDUTY_PUSH_URL`. Works where `process` does not exist
 * (browsers, workers): the environment then reads as unset.
 *
 * @param explicit a key passed by the caller; `undefined` means "not given" @default undefined
 * @throws FlashdutyConfigError naming every place it looked, when no key is found; or naming the place that
 * holds a malformed key
 * @example
 * ```ts
 * const { key, source, baseUrl } = resolveKey(options.integrationKey);
 * ```
 */
export function resolveKey(explicit?: string | IntegrationKey): ResolvedKey {
  if (explicit !== undefined) {
    const key =
      explicit instanceof IntegrationKey
        ? explicit
        : new IntegrationKey(explicit, "The integrationKey passed in");
    return { key, source: "explicit" };
  }
  const stored = getKey();
  if (stored !== undefined) return { ...stored, source: "setKey" };
  const fromEnv = readEnv("FLASHDUTY_INTEGRATION_KEY");
  if (fromEnv !== undefined) {
    return {
      key: new IntegrationKey(fromEnv, "The environment variable FLASHDUTY_INTEGRATION_KEY"),
      source: "FLASHDUTY_INTEGRATION_KEY",
    };
  }
  const pushUrl = readEnv("FLASHDUTY_PUSH_URL");
  if (pushUrl !== undefined) {
    const { integrationKey, baseUrl } = parsePushUrl(pushUrl, "The environment variable FLASHDUTY_PUSH_URL");
    return { key: new IntegrationKey(integrationKey), source: "FLASHDUTY_PUSH_URL", baseUrl };
  }
  const unset = hasEnv() ? "not set" : "not set: no process.env in this runtime";
  throw new FlashdutyConfigError(
    `No Flashduty integration key found: pass integrationKey (not given), call setKey(key) (not called), or set FLASHDUTY_INTEGRATION_KEY (${unset}) or FLASHDUTY_PUSH_URL (${unset}).`,
  );
}
