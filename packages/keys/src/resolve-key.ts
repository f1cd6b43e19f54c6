import { IntegrationKey, isIntegrationKey } from "./integration-key.js";
import { type DestinationSource, findKeyOf } from "./resolve-destination.js";

/** Where {@link resolveKey} found the key: it looks for an alert integration's, never a change integration's. */
export type KeySource = Exclude<DestinationSource, `FLASHDUTY_CHANGE_${string}`>;

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
 * `FLASHDUTY_INTEGRATION_KEY` environment variable › `FLASHDUTY_PUSH_URL` (the rule of `resolveDestination`,
 * which also decides where the key goes). Works where `process` does not exist (browsers, workers): the
 * environment then reads as unset.
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
  const key =
    explicit === undefined || isIntegrationKey(explicit)
      ? explicit
      : new IntegrationKey(explicit, "The integrationKey passed in");
  const { pushUrl, level: _level, source, ...found } = findKeyOf(key === undefined ? {} : { key });
  // findKeyOf reads the alert's variables only, so a change variable's name is never the source.
  const resolved = { ...found, source: source as KeySource };
  return pushUrl === undefined ? resolved : { ...resolved, baseUrl: pushUrl.baseUrl };
}
