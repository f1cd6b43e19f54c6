import { DEFAULT_BASE_URL } from "@flash-call/core";
import {
  destinationLevel,
  type IntegrationKey,
  type KeyIdentity,
  resolveDestination,
  type SettingNames,
} from "@flash-call/keys";
import type { CallOptions, FlashCallOptions } from "./options.js";

/** Where one push goes: the key, the base URL, extra query parameters of a push URL, and the identity labels. */
export interface Target {
  key: IntegrationKey;
  baseUrl: string;
  query: Record<string, string>;
  /** The `user_id`/`strategy_id` identity: the instance's, else the one given to `setKey`. */
  identity: KeyIdentity;
}

/** How the SDK's messages name its destination options. */
export const OPTION_NAMES: SettingNames = {
  integrationKey: "The integrationKey passed in",
  pushUrl: "The push URL",
  baseUrl: "The base URL",
  instead: "pass a push URL as pushUrl, and the key as integrationKey",
};

/**
 * Resolves the target of one call by @flash-call/keys' `resolveDestination`: call options first, then the
 * instance's, then `setKey` and the environment. The instance's options are checked once, when the instance is
 * created, so a bad one fails early and a push does not parse them again.
 */
export function createTargetResolver(options: FlashCallOptions): (call: CallOptions) => Target {
  const instance = destinationLevel(options, OPTION_NAMES, DEFAULT_BASE_URL);
  return (call) => {
    const destination = resolveDestination({
      levels: [destinationLevel(call, OPTION_NAMES, DEFAULT_BASE_URL), instance],
      setKey: true,
      defaultBaseUrl: DEFAULT_BASE_URL,
      explicitly: "pass integrationKey",
    });
    return {
      key: destination.key,
      baseUrl: destination.baseUrl,
      query: destination.query,
      // An undefined user or strategy is no label: identityLabels skips it.
      identity: {
        user: options.user ?? destination.user,
        strategy: options.strategy ?? destination.strategy,
      } as KeyIdentity,
    };
  };
}
