import { DEFAULT_BASE_URL } from "@flash-call/core";
import {
  type Destination,
  destinationLevel,
  type PushEndpoint,
  resolveDestination,
  type SettingNames,
} from "@flash-call/keys";
import type { CommonValues } from "./args.js";
import { nonBlankFlag } from "./blank-flag.js";
import { KEY_VARIABLES } from "./cli-wording.js";
import { UsageError } from "./usage-error.js";

/** How the CLI's messages name its destination flags, and the variables of the endpoint's integration. */
function flagNames(endpoint: PushEndpoint): SettingNames {
  const variables = KEY_VARIABLES[endpoint];
  return {
    integrationKey: "--key",
    pushUrl: "--push-url",
    baseUrl: "--base-url",
    instead: `pass a push URL as --push-url (or ${variables.pushUrl}), and the key as ${variables.key}`,
  };
}

/**
 * Where this command sends and with which key, by @flash-call/keys' `resolveDestination`, with the command's
 * own environment (`run(argv, { env })`), not `process.env`: the flags › `FLASHDUTY_INTEGRATION_KEY` ›
 * `FLASHDUTY_PUSH_URL` for the key; the base URL from the configuration that supplied it (`--push-url` and
 * `FLASHDUTY_PUSH_URL` carry their own; `--key` and `FLASHDUTY_INTEGRATION_KEY` go to `--base-url`, else
 * `FLASHDUTY_BASE_URL`, else the default). Messages name the flags and variables.
 *
 * With `endpoint` `"change"` (`change`, `deploy`), the variables are FLASHDUTY_CHANGE_INTEGRATION_KEY and
 * FLASHDUTY_CHANGE_PUSH_URL, never the alert's, and a push URL of the other endpoint is refused.
 *
 * @throws FlashdutyConfigError when no key is configured, or a flag or variable holds a malformed one; UsageError
 * when `--key` and `--push-url` are both given, or `--push-url` is blank
 * @example
 * commandDestination({}, { FLASHDUTY_INTEGRATION_KEY: "k…", FLASHDUTY_BASE_URL: "http://127.0.0.1:8080" });
 * // { key: IntegrationKey(****), baseUrl: "http://127.0.0.1:8080", query: {}, source: "FLASHDUTY_INTEGRATION_KEY" }
 */
export function commandDestination(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: PushEndpoint = "alert",
): Destination {
  const pushUrl = nonBlankFlag(values["push-url"], "--push-url");
  // Both would name the key: the push URL's would be dropped for --key's, and its host kept, without a word.
  if (values.key !== undefined && pushUrl !== undefined) {
    throw new UsageError(
      "--key and --push-url both give the key: pass one (a push URL carries its own key and base URL; --key goes to --base-url)",
    );
  }
  const flags = { integrationKey: values.key, pushUrl, baseUrl: values["base-url"] };
  return resolveDestination({
    levels: [destinationLevel(flags, flagNames(endpoint), DEFAULT_BASE_URL)],
    env: (name) => (env[name] === "" ? undefined : env[name]),
    defaultBaseUrl: DEFAULT_BASE_URL,
    explicitly: "pass --key or --push-url",
    endpoint,
  });
}

/**
 * The push URL whose other query parameters go with the key (the SDK reads them from it): the one of the
 * configuration that supplied the key, if that has one.
 *
 * @example
 * pushUrlOf({ "push-url": url }, {}, destination); // url
 */
export function pushUrlOf(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
  destination: Destination,
): string | undefined {
  if (destination.source === "explicit") return values["push-url"] || undefined;
  return destination.source === "FLASHDUTY_PUSH_URL" ? env.FLASHDUTY_PUSH_URL : undefined;
}
