import { registerKeyText } from "./integration-key.js";
import { parsePushUrl } from "./parse-push-url.js";

/**
 * The environment variables that hold each integration's key and push URL: the ones `resolveDestination` reads.
 *
 * @example
 * KEY_VARIABLES.change.key; // "FLASHDUTY_CHANGE_INTEGRATION_KEY"
 */
export const KEY_VARIABLES = {
  alert: { key: "FLASHDUTY_INTEGRATION_KEY", pushUrl: "FLASHDUTY_PUSH_URL" },
  change: { key: "FLASHDUTY_CHANGE_INTEGRATION_KEY", pushUrl: "FLASHDUTY_CHANGE_PUSH_URL" },
} as const;

/**
 * Registers for redaction the key of every integration the environment names, alert and change, in its variable or
 * in its push URL's `integration_key`, whichever one a push then uses: a process given both integrations' keys may
 * write the one it does not push with into an event, a log or an error, and it must come out masked there too (as
 * the key it pushes with does). Never throws: a push URL that does not parse is the business of the push that uses it.
 *
 * @example
 * ```ts
 * registerEnvironmentKeys(readEnv); // FLASHDUTY_CHANGE_INTEGRATION_KEY is masked in an alert's title from now on
 * ```
 */
export function registerEnvironmentKeys(env: (name: string) => string | undefined): void {
  for (const variables of Object.values(KEY_VARIABLES)) {
    const key = env(variables.key);
    if (typeof key === "string") registerKeyText(key);
    const pushUrl = env(variables.pushUrl);
    if (typeof pushUrl !== "string") continue;
    try {
      // Parsing registers its key (IntegrationKey does, valid or not).
      parsePushUrl(pushUrl);
    } catch {
      // Not a usable push URL: a push that uses it says so.
    }
  }
}
