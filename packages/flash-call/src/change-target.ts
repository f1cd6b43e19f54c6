import { DEFAULT_BASE_URL } from "@flash-call/core";
import { destinationLevel, resolveDestination, type SettingNames } from "@flash-call/keys";
import type { CallOptions, FlashCallOptions } from "./options.js";
import { OPTION_NAMES, type Target } from "./target.js";

/** How the SDK's messages name a change call's destination options: as an alert call's. */
const CALL_NAMES = OPTION_NAMES;
/** How the SDK's messages name an instance's change options. */
const INSTANCE_NAMES: SettingNames = {
  ...OPTION_NAMES,
  integrationKey: "The changeIntegrationKey passed in",
  pushUrl: "The changePushUrl",
};

/**
 * Resolves where one change event goes, by @flash-call/keys' `resolveDestination` with the change endpoint: the
 * call's `integrationKey` / `pushUrl`, then the instance's `changeIntegrationKey` / `changePushUrl`, then
 * FLASHDUTY_CHANGE_INTEGRATION_KEY and FLASHDUTY_CHANGE_PUSH_URL. Never the alert key (nor `setKey`'s): a change
 * integration has its own. The instance's options are checked once, when it is created.
 *
 * @example
 * ```ts
 * const resolveChangeTarget = createChangeTargetResolver(options);
 * const target = resolveChangeTarget({}); // throws FlashdutyConfigError naming the change settings when none is set
 * ```
 */
export function createChangeTargetResolver(options: FlashCallOptions): (call: CallOptions) => Target {
  const instance = destinationLevel(
    {
      integrationKey: options.changeIntegrationKey,
      pushUrl: options.changePushUrl,
      baseUrl: options.baseUrl,
    },
    INSTANCE_NAMES,
    DEFAULT_BASE_URL,
  );
  return (call) => {
    const destination = resolveDestination({
      levels: [destinationLevel(call, CALL_NAMES, DEFAULT_BASE_URL), instance],
      defaultBaseUrl: DEFAULT_BASE_URL,
      explicitly: "pass integrationKey to the call or changeIntegrationKey to createFlashCall",
      endpoint: "change",
    });
    // The setKey identity (user_id, strategy_id) belongs to the alert key: a change carries none, and its
    // labels are merged by prepareChange, not from the alert target's base labels.
    return {
      key: destination.key,
      baseUrl: destination.baseUrl,
      query: destination.query,
      identity: {},
      baseLabels: {},
    };
  };
}
