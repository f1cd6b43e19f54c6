import { parsePushUrl } from "@flash-call/keys";
import type { CommonValues } from "./args.js";

/**
 * The base URL a spooled event was headed for, stored beside it (without the key) so `flush` can send it to
 * the same place. Follows the SDK's order: `--base-url`, `--push-url`, then the environment (a push URL's base
 * only when the key comes from that push URL). `undefined` means the default base.
 *
 * @example
 * destinationBase({}, { FLASHDUTY_PUSH_URL: "https://api.flashcat.cloud/event/push/alert/standard?integration_key=k" });
 * // "https://api.flashcat.cloud"
 */
export function destinationBase(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (values["base-url"]) return values["base-url"];
  if (values["push-url"]) return parsePushUrl(values["push-url"]).baseUrl;
  if (!values.key && !env.FLASHDUTY_INTEGRATION_KEY && env.FLASHDUTY_PUSH_URL) {
    return parsePushUrl(env.FLASHDUTY_PUSH_URL).baseUrl;
  }
  return env.FLASHDUTY_BASE_URL || undefined;
}

/**
 * Whether the flush-time configuration names a destination itself (flags or environment). If it does, that
 * wins over the base stored in a spool file: the key and the host it belongs to travel together, so a key
 * is never sent to a host it was not configured for.
 *
 * @example
 * configuresDestination({ "push-url": "https://…" }, {}); // true
 */
export function configuresDestination(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return Boolean(
    values["base-url"] || values["push-url"] || env.FLASHDUTY_PUSH_URL || env.FLASHDUTY_BASE_URL,
  );
}
