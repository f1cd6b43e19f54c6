import { argumentError, FlashdutyConfigError } from "@flash-call/errors";
import { checkBaseUrl } from "./base-url.js";
import { hasEnv, readEnv } from "./env.js";
import { KEY_VARIABLES, registerEnvironmentKeys } from "./environment-keys.js";
import { IntegrationKey, isIntegrationKey } from "./integration-key.js";
import { holdsKey } from "./key-in-url.js";
import { getKey } from "./key-store.js";
import { type PushEndpoint, type PushUrl, parsePushUrl } from "./parse-push-url.js";

/** Where the key of a destination came from: a level the caller gave, `setKey`, or an environment variable. */
export type DestinationSource =
  | "explicit"
  | "setKey"
  | "FLASHDUTY_INTEGRATION_KEY"
  | "FLASHDUTY_PUSH_URL"
  | "FLASHDUTY_CHANGE_INTEGRATION_KEY"
  | "FLASHDUTY_CHANGE_PUSH_URL";

/**
 * How messages name the settings of one level, in the words of whoever reads them: SDK options
 * (`"The push URL"`) or command-line flags (`"--push-url"`).
 */
export interface SettingNames {
  /** The key setting, e.g. `"The integrationKey passed in"` or `"--key"`. */
  integrationKey: string;
  /** The push URL setting, e.g. `"The push URL"` or `"--push-url"`. */
  pushUrl: string;
  /** The base URL setting, e.g. `"The base URL"` or `"--base-url"`. */
  baseUrl: string;
  /** What to do instead of giving a base URL with a query, e.g. `"pass a push URL as pushUrl, and the key as integrationKey"`. */
  instead: string;
}

/** One level of configuration as given: a call's options, an instance's, or the command-line flags. */
export interface DestinationSettings {
  /** The integration key. @default none */
  integrationKey?: string | IntegrationKey | undefined;
  /** A push URL copied from the Flashduty console: base URL and key in one. @default none */
  pushUrl?: string | undefined;
  /** The API origin, with any path prefix. @default none */
  baseUrl?: string | undefined;
}

/** One level of configuration, checked by {@link destinationLevel}: nothing in it is parsed again per push. */
export interface DestinationLevel {
  /** The level's key: its own, else its push URL's. */
  key?: IntegrationKey;
  /** The level's push URL, parsed. */
  pushUrl?: PushUrl;
  /** The level's base URL, checked, without trailing slashes. */
  baseUrl?: string;
  /** How messages name the level's settings, when a problem is found only once the levels are combined. */
  names?: SettingNames;
}

/** Everything {@link resolveDestination} may take a destination from, highest precedence first. */
export interface DestinationSources {
  /** The levels the caller holds, highest first: a call's options then the instance's, or the flags. */
  levels: readonly DestinationLevel[];
  /** Whether the key given to `setKey` counts, below the levels. @default false */
  setKey?: boolean;
  /**
   * Reads an environment variable (unset or empty: `undefined`).
   * @default readEnv: `process.env` where the runtime has one, else nothing is set
   */
  env?: (name: string) => string | undefined;
  /** Where events go when nothing names a base URL, e.g. core's `DEFAULT_BASE_URL`. */
  defaultBaseUrl: string;
  /** How a key is given to the caller, for the message when none is found, e.g. `"pass integrationKey"`. */
  explicitly: string;
  /**
   * Which integration the events go to. A change integration is a separate integration with its own key: for
   * `"change"` the environment is read from FLASHDUTY_CHANGE_INTEGRATION_KEY and FLASHDUTY_CHANGE_PUSH_URL, never
   * from the alert's variables, and a push URL naming the other endpoint is refused. @default "alert"
   */
  endpoint?: PushEndpoint;
}

/** Where events go and with which key. */
export interface Destination {
  key: IntegrationKey;
  /** Where the key is sent, without trailing slashes. */
  baseUrl: string;
  /** The other query parameters of the push URL that supplied the key or the level's destination. */
  query: Record<string, string>;
  /** Where the key came from. */
  source: DestinationSource;
  /** The `user` given to `setKey`, when the key came from it. */
  user?: string;
  /** The `strategy` given to `setKey`, when the key came from it. */
  strategy?: string;
}

const ENVIRONMENT: SettingNames = {
  integrationKey: "The environment variable FLASHDUTY_INTEGRATION_KEY",
  pushUrl: "The environment variable FLASHDUTY_PUSH_URL",
  baseUrl: "The environment variable FLASHDUTY_BASE_URL",
  instead: "put a push URL in FLASHDUTY_PUSH_URL, or the key in FLASHDUTY_INTEGRATION_KEY",
};

/** The environment variables that hold each endpoint's key and push URL. */
const VARIABLES = KEY_VARIABLES satisfies Record<
  PushEndpoint,
  { key: DestinationSource; pushUrl: DestinationSource }
>;

/**
 * Checks one level of configuration once: its push URL parsed, its key validated and registered as a secret,
 * its base URL checked (and refused when it holds the level's own key); each problem is a `FlashdutyConfigError`
 * naming the setting as `names` says.
 *
 * @param defaultBaseUrl a valid base URL, quoted as an example when the level's is not one
 * @throws FlashdutyConfigError naming the setting that is malformed or holds a key, or `settings`/`names` when not
 * an object
 * @example
 * ```ts
 * const instance = destinationLevel(options, SDK_NAMES, DEFAULT_BASE_URL); // at creation, so a bad one fails early
 * ```
 */
export function destinationLevel(
  settings: DestinationSettings,
  names: SettingNames,
  defaultBaseUrl: string,
): DestinationLevel {
  if (typeof settings !== "object" || settings === null) {
    throw argumentError("destinationLevel()'s settings", "an object", settings);
  }
  if (typeof names !== "object" || names === null)
    throw argumentError("destinationLevel()'s names", "an object", names);
  const level: DestinationLevel = { names };
  if (settings.pushUrl) level.pushUrl = parsePushUrl(settings.pushUrl, names.pushUrl);
  const key = settings.integrationKey ?? level.pushUrl?.integrationKey;
  if (key !== undefined) {
    level.key = isIntegrationKey(key) ? key : new IntegrationKey(key, names.integrationKey);
  }
  if (settings.baseUrl !== undefined) {
    level.baseUrl = checkBaseUrl(settings.baseUrl, names.baseUrl, names.instead, defaultBaseUrl);
    // A level holding both fails here, not at its first push.
    if (level.key !== undefined)
      refuseKeyIn(level.baseUrl, level.key, names.baseUrl, names.instead, defaultBaseUrl);
  }
  return level;
}

/** The key of `sources` and where it came from; `pushUrl` is the environment's, when the key is its. */
export interface FoundKey {
  key: IntegrationKey;
  source: DestinationSource;
  /** The index of the level that gave it. */
  level?: number;
  pushUrl?: PushUrl;
  user?: string;
  strategy?: string;
}

/**
 * The key to push with: the first level's, then `setKey`'s, then the endpoint's key variable
 * (`FLASHDUTY_INTEGRATION_KEY`), then its push URL variable (`FLASHDUTY_PUSH_URL`).
 */
function findKey(sources: DestinationSources): FoundKey {
  registerEnvironmentKeys(sources.env ?? readEnv);
  const level = sources.levels.findIndex((each) => each.key !== undefined);
  const key = sources.levels[level]?.key;
  if (key !== undefined) return { key, source: "explicit", level };
  const stored = sources.setKey ? getKey() : undefined;
  if (stored !== undefined) return { ...stored, source: "setKey" };
  const env = sources.env ?? readEnv;
  const variables = VARIABLES[sources.endpoint ?? "alert"];
  const fromEnv = env(variables.key);
  if (fromEnv !== undefined) {
    return {
      key: new IntegrationKey(fromEnv, `The environment variable ${variables.key}`),
      source: variables.key,
    };
  }
  const pushUrl = env(variables.pushUrl);
  if (pushUrl !== undefined) {
    const parsed = parsePushUrl(pushUrl, `The environment variable ${variables.pushUrl}`);
    return { key: new IntegrationKey(parsed.integrationKey), source: variables.pushUrl, pushUrl: parsed };
  }
  const unset = sources.env !== undefined || hasEnv() ? "not set" : "not set: no process.env in this runtime";
  const setKey = sources.setKey ? ", call setKey(key) (not called)" : "";
  const which = sources.endpoint === "change" ? "change integration" : "integration";
  throw new FlashdutyConfigError(
    `No Flashduty ${which} key found: ${sources.explicitly} (not given)${setKey}, or set ${variables.key} (${unset}) or ${variables.pushUrl} (${unset}).`,
  );
}

/**
 * Refuses a push URL that names the other endpoint: an alert integration's key cannot take change events, nor
 * the reverse, and sending there would fail at Flashduty with a less clear answer (or land on the wrong path).
 */
function checkEndpoint(pushUrl: PushUrl | undefined, endpoint: PushEndpoint): void {
  if (pushUrl?.endpoint === undefined || pushUrl.endpoint === endpoint) return;
  throw new FlashdutyConfigError(
    `The push URL given for ${endpoint} events is ${integration(pushUrl.endpoint)}'s: ${endpoint} events need the push URL of ${integration(endpoint)} (…/event/push/${endpoint}/standard), from the Flashduty console.`,
  );
}

/** "an alert integration" or "a change integration", for messages. */
function integration(endpoint: PushEndpoint): string {
  return endpoint === "alert" ? "an alert integration" : "a change integration";
}

/** `FLASHDUTY_BASE_URL`, checked, else the default. */
function environmentBaseUrl(sources: DestinationSources): string {
  const fromEnv = (sources.env ?? readEnv)("FLASHDUTY_BASE_URL");
  if (fromEnv === undefined) return sources.defaultBaseUrl;
  return checkBaseUrl(fromEnv, ENVIRONMENT.baseUrl, ENVIRONMENT.instead, sources.defaultBaseUrl);
}

/**
 * The base URL a destination sends to, and the setting it came from: the first level that names one (its base
 * URL, else its push URL's base); else `FLASHDUTY_PUSH_URL`'s base, only when that URL supplied the key; else
 * `FLASHDUTY_BASE_URL`; else the default.
 */
function baseUrlOf(
  named: DestinationLevel | undefined,
  found: FoundKey,
  sources: DestinationSources,
): { baseUrl: string; setting: string; names: SettingNames } {
  const names = named?.names ?? ENVIRONMENT;
  if (named?.baseUrl !== undefined) return { baseUrl: named.baseUrl, setting: names.baseUrl, names };
  if (named?.pushUrl !== undefined) {
    return { baseUrl: named.pushUrl.baseUrl, setting: `${names.pushUrl}'s path`, names };
  }
  if (found.pushUrl !== undefined) {
    const setting = `The environment variable ${found.source}'s path`;
    return { baseUrl: found.pushUrl.baseUrl, setting, names: ENVIRONMENT };
  }
  const baseUrl = environmentBaseUrl(sources);
  const setting = baseUrl === sources.defaultBaseUrl ? "The default base URL" : ENVIRONMENT.baseUrl;
  return { baseUrl, setting, names: ENVIRONMENT };
}

/** The base URL to send to (see baseUrlOf), refused when it holds the destination's key (see refuseKeyIn). */
function destinationBaseUrl(
  named: DestinationLevel | undefined,
  found: FoundKey,
  sources: DestinationSources,
): string {
  const { baseUrl, setting, names } = baseUrlOf(named, found, sources);
  refuseKeyIn(baseUrl, found.key, setting, names.instead, sources.defaultBaseUrl);
  return baseUrl;
}

/**
 * Refuses a base URL holding the key it goes with, or a piece of one (see holdsKey): a key travels only as the
 * `integration_key` query parameter, the one place every message, hook, span and spool file masks it, while a
 * base URL is shown and written as it is (a spool file records it, so that a flush sends nowhere else).
 */
function refuseKeyIn(
  baseUrl: string,
  key: IntegrationKey,
  setting: string,
  instead: string,
  example: string,
): void {
  if (!holdsKey(baseUrl, key.reveal())) return;
  throw new FlashdutyConfigError(
    `${setting} holds an integration key (or a piece of one); a key is sent only as the integration_key query parameter, which every message masks: give the API origin alone, like ${example}, or ${instead}.`,
  );
}

/**
 * Refuses, as a `FlashdutyConfigError` naming the field, sources plain JavaScript got wrong: typeof tests only, as
 * a push whose destination is named anew resolves it.
 */
function checkSources(sources: DestinationSources): void {
  if (typeof sources !== "object" || sources === null) {
    throw argumentError("resolveDestination()'s sources", "an object", sources);
  }
  const { levels, env, endpoint } = sources;
  if (!Array.isArray(levels) || levels.some((level) => typeof level !== "object" || level === null)) {
    throw argumentError("resolveDestination()'s levels", "an array of objects", levels);
  }
  if (env !== undefined && typeof env !== "function") {
    throw argumentError("resolveDestination()'s env", "a function", env);
  }
  // Not kindOf: it would call a string, whatever it holds, "a string".
  if (endpoint !== undefined && endpoint !== "alert" && endpoint !== "change") {
    throw new FlashdutyConfigError(`resolveDestination()'s endpoint must be "alert" or "change".`);
  }
}

/**
 * The one rule for where a key goes. The key: the first level that has one (its own key, else its push URL's),
 * then `setKey` (when `sources.setKey`), then `FLASHDUTY_INTEGRATION_KEY`, then `FLASHDUTY_PUSH_URL`. The base
 * URL: the first level that names one (its base URL, else its push URL's base); else `FLASHDUTY_PUSH_URL`'s
 * base, only when that URL supplied the key; else `FLASHDUTY_BASE_URL`; else `defaultBaseUrl`. So the
 * environment never pairs a key with a push URL that carries another key, and a key is never sent (nor shown, nor
 * written) as part of a base URL: one that holds a key is refused. The environment is read at each call.
 *
 * @throws FlashdutyConfigError naming every place it looked, when no key is found; or naming the setting
 * that holds a malformed key or base URL, or a base URL holding a key (never quoting either); or naming a field of `sources` that is not what
 * it must be (levels not an array, env not a function, an unknown endpoint)
 * @example
 * ```ts
 * const { key, baseUrl, query } = resolveDestination({
 *   levels: [destinationLevel(call, SDK_NAMES, DEFAULT_BASE_URL), instance],
 *   setKey: true,
 *   defaultBaseUrl: DEFAULT_BASE_URL,
 *   explicitly: "pass integrationKey",
 * });
 * ```
 */
export function resolveDestination(sources: DestinationSources): Destination {
  checkSources(sources);
  const found = findKey(sources);
  const { levels } = sources;
  const endpoint = sources.endpoint ?? "alert";
  for (const level of levels) checkEndpoint(level.pushUrl, endpoint);
  checkEndpoint(found.pushUrl, endpoint);
  // A push URL's other query parameters go with it, from the levels down to the one that gave the key.
  const withKey = found.level === undefined ? [] : levels.slice(0, found.level + 1);
  const pushUrl = withKey.find((level) => level.pushUrl !== undefined)?.pushUrl ?? found.pushUrl;
  const named = levels.find((level) => level.baseUrl !== undefined || level.pushUrl !== undefined);
  const baseUrl = destinationBaseUrl(named, found, sources);
  const destination: Destination = {
    key: found.key,
    baseUrl,
    query: pushUrl?.query ?? {},
    source: found.source,
  };
  if (found.user !== undefined) destination.user = found.user;
  if (found.strategy !== undefined) destination.strategy = found.strategy;
  return destination;
}

/**
 * The key alone, by the same rule as {@link resolveDestination}: what `resolveKey` answers.
 *
 * @example
 * ```ts
 * const { key, source, pushUrl } = findKeyOf({ key: explicit }); // pushUrl: FLASHDUTY_PUSH_URL's, when the key is its
 * ```
 */
export function findKeyOf(level: DestinationLevel): FoundKey {
  return findKey({ levels: [level], setKey: true, defaultBaseUrl: "", explicitly: "pass integrationKey" });
}
