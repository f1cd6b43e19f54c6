import { DEFAULT_BASE_URL } from "@flash-call/core";
import { redact } from "@flash-call/errors";
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

/** Each target's base URL as it may be shown, made at the first showing: most pushes show it to nobody. */
const shownBaseUrls = new WeakMap<Target, string>();

/**
 * A target's base URL as hooks and the tracing channel are told it, masked like every key in a message. A base URL
 * holding a key is refused when the target is resolved; this masks a secret registered after that (another
 * instance's key). The base URL sent to is the target's own `baseUrl`.
 *
 * @example
 * ```ts
 * const info = { integration: target.key.masked, baseUrl: shownBaseUrl(target) };
 * ```
 */
export function shownBaseUrl(target: Target): string {
  let shown = shownBaseUrls.get(target);
  if (shown === undefined) {
    shown = redact(target.baseUrl);
    shownBaseUrls.set(target, shown);
  }
  return shown;
}

/** A resolution kept for the calls that name the same destination, and what it depended on besides the levels. */
interface Resolution {
  /** What the calls it serves name of their destination, as given and as its map key (see namingOf). */
  named: { integrationKey: string | undefined; pushUrl: string | undefined; baseUrl: string | undefined };
  naming: string;
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
 * How many distinct destinations named by calls keep their resolution: a router naming a key per team resolves
 * each key once, not at every push; past this many, the oldest kept is forgotten (and resolved again if it comes back).
 */
const KEPT_RESOLUTIONS = 256;

/** What a call names of its destination, as one map key: JSON, so no two different namings share one. */
const namingOf = (call: CallOptions): string =>
  call.integrationKey === undefined && call.pushUrl === undefined && call.baseUrl === undefined
    ? ""
    : JSON.stringify([call.integrationKey ?? null, call.pushUrl ?? null, call.baseUrl ?? null]);

/** Whether `call` names what `resolution`'s calls named: three comparisons, no naming built. */
const namesAs = (call: CallOptions, resolution: Resolution | undefined): resolution is Resolution =>
  resolution !== undefined &&
  call.integrationKey === resolution.named.integrationKey &&
  call.pushUrl === resolution.named.pushUrl &&
  call.baseUrl === resolution.named.baseUrl;

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
 * A call gets the same target as the last call naming the same destination (or none) as long as `setKey` and
 * every environment variable the resolution read are unchanged (compared at each call, so a change is seen at the
 * next push): the key is then validated and registered as a secret once per distinct value, not per push. The
 * resolutions of the last {@link KEPT_RESOLUTIONS} distinct namings are kept. `onResolved` is told of each target
 * resolved anew (not of one found among those kept). @default onResolved: nothing
 *
 * @example
 * ```ts
 * const resolveTarget = createTargetResolver({ pushUrl: process.env.FLASHDUTY_PUSH_URL });
 * const { key, baseUrl, query } = resolveTarget({});
 * ```
 */
export function createTargetResolver(
  options: FlashCallOptions,
  onResolved: (target: Target) => void = () => {},
): (call: CallOptions) => Target {
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
  const kept = new Map<string, Resolution>();
  // The last resolution given: a call naming what the one before named finds it without building its naming.
  let last: Resolution | undefined;
  return (call) => {
    const naming = namesAs(call, last) ? last.naming : namingOf(call);
    const known = naming === last?.naming ? last : kept.get(naming);
    if (known !== undefined && sameInputs(known.names, known.inputs)) {
      last = known;
      return known.target;
    }
    // Checked at every call that is not answered from what was kept: a bad option fails at each push.
    const level = naming === "" ? NO_LEVEL : destinationLevel(call, OPTION_NAMES, DEFAULT_BASE_URL);
    const names: string[] = [];
    let target: Target;
    try {
      target = resolve(level, (name) => {
        names.push(name);
        return readEnv(name);
      });
    } catch {
      // The same failure again, in the rule's own words (it says when the runtime has no process.env at all).
      return resolve(level);
    }
    // Set again, so the map's order is the order namings were last resolved in: the oldest goes first.
    kept.delete(naming);
    if (kept.size >= KEPT_RESOLUTIONS) kept.delete(kept.keys().next().value as string);
    const resolution: Resolution = {
      named: { integrationKey: call.integrationKey, pushUrl: call.pushUrl, baseUrl: call.baseUrl },
      naming,
      target,
      names,
      inputs: inputsOf(names),
    };
    kept.set(naming, resolution);
    last = resolution;
    onResolved(target);
    return target;
  };
}
