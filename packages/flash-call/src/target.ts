import { DEFAULT_BASE_URL } from "@flash-call/core";
import {
  type DestinationLevel,
  destinationLevel,
  getKey,
  type IntegrationKey,
  identityLabels,
  type KeyIdentity,
  readEnv,
  resolveDestination,
  type SettingNames,
} from "@flash-call/keys";
import type { LabelValue } from "./event.js";
import type { CallOptions, FlashCallOptions } from "./options.js";

/** Where one push goes: the key, the base URL, extra query parameters of a push URL, and the identity labels. */
export interface Target {
  key: IntegrationKey;
  baseUrl: string;
  query: Record<string, string>;
  /** The `user_id`/`strategy_id` identity: the instance's, else the one given to `setKey`. */
  identity: KeyIdentity;
  /** The labels under every event's own: the instance's `labels`, then the identity labels. Never changed. */
  baseLabels: Readonly<Record<string, LabelValue>>;
}

/** The last resolution of a call naming no destination, and what it depended on besides the levels. */
interface Resolution {
  target: Target;
  /** The environment variables it read, in order. */
  names: string[];
  /** What `inputsOf(names)` gave just after it. */
  inputs: unknown[];
}

/** How the SDK's messages name its destination options. */
export const OPTION_NAMES: SettingNames = {
  integrationKey: "The integrationKey passed in",
  pushUrl: "The push URL",
  baseUrl: "The base URL",
  instead: "pass a push URL as pushUrl, and the key as integrationKey",
};

const NO_LEVEL: DestinationLevel = {};

/**
 * Visits, in order, everything but the levels a resolution depends on: what `setKey` stored (key, user, strategy),
 * then each environment variable it read; stops at the first `visit` that returns false. One list, whether it is
 * being recorded or compared.
 */
function everyInput(names: readonly string[], visit: (input: unknown, index: number) => boolean): boolean {
  const stored = getKey();
  if (!visit(stored?.key, 0) || !visit(stored?.user, 1) || !visit(stored?.strategy, 2)) return false;
  for (let index = 0; index < names.length; index++) {
    if (!visit(readEnv(names[index] as string), index + 3)) return false;
  }
  return true;
}

function inputsOf(names: readonly string[]): unknown[] {
  const inputs: unknown[] = [];
  everyInput(names, (input) => inputs.push(input) > 0);
  return inputs;
}

/** Whether the inputs are still those recorded, read without building a list: this runs at every push. */
const sameInputs = (names: readonly string[], inputs: readonly unknown[]): boolean =>
  everyInput(names, (input, index) => input === inputs[index]);

/**
 * Resolves the target of one call by @flash-call/keys' `resolveDestination`: call options first, then the
 * instance's, then `setKey` and the environment. The instance's options are checked once, when the instance is
 * created, so a bad one fails early and a push does not parse them again.
 *
 * A call that names no destination of its own gets the same target as the last such call as long as `setKey`
 * and every environment variable the resolution read are unchanged (compared at each call, so a change is seen
 * at the next push): the key is then validated and registered as a secret once per distinct value, not per push.
 *
 * @example
 * ```ts
 * const resolveTarget = createTargetResolver({ pushUrl: process.env.FLASHDUTY_PUSH_URL });
 * const { key, baseUrl, query } = resolveTarget({});
 * ```
 */
export function createTargetResolver(options: FlashCallOptions): (call: CallOptions) => Target {
  const instance = destinationLevel(options, OPTION_NAMES, DEFAULT_BASE_URL);
  const resolve = (call: DestinationLevel, env?: (name: string) => string | undefined): Target => {
    const destination = resolveDestination({
      levels: [call, instance],
      setKey: true,
      ...(env === undefined ? {} : { env }),
      defaultBaseUrl: DEFAULT_BASE_URL,
      explicitly: "pass integrationKey",
    });
    // An undefined user or strategy is no label: identityLabels skips it.
    const identity = {
      user: options.user ?? destination.user,
      strategy: options.strategy ?? destination.strategy,
    } as KeyIdentity;
    return {
      key: destination.key,
      baseUrl: destination.baseUrl,
      query: destination.query,
      identity,
      // Spread copies an own "__proto__" label as a label (it defines properties; it never sets a prototype).
      baseLabels: { ...options.labels, ...identityLabels(identity) },
    };
  };
  let last: Resolution | undefined;
  return (call) => {
    if (call.integrationKey !== undefined || call.pushUrl !== undefined || call.baseUrl !== undefined) {
      return resolve(destinationLevel(call, OPTION_NAMES, DEFAULT_BASE_URL));
    }
    if (last !== undefined && sameInputs(last.names, last.inputs)) return last.target;
    const names: string[] = [];
    let target: Target;
    try {
      target = resolve(NO_LEVEL, (name) => {
        names.push(name);
        return readEnv(name);
      });
    } catch {
      // The same failure again, in the rule's own words (it says when the runtime has no process.env at all).
      return resolve(NO_LEVEL);
    }
    last = { target, names, inputs: inputsOf(names) };
    return target;
  };
}
