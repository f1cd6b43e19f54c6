import { DEFAULT_BASE_URL } from "@flash-call/core";
import { FlashdutyConfigError } from "@flash-call/errors";
import { type IntegrationKey, type KeyIdentity, parsePushUrl, readEnv, resolveKey } from "@flash-call/keys";
import type { CallOptions, FlashCallOptions } from "./options.js";

/** Where one push goes: the key, the base URL, extra query parameters of a push URL, and the identity labels. */
export interface Target {
  key: IntegrationKey;
  baseUrl: string;
  query: Record<string, string>;
  /** The `user_id`/`strategy_id` identity: the instance's, else the one given to `setKey`. */
  identity: KeyIdentity;
}

interface ParsedPushUrl {
  baseUrl: string;
  integrationKey: string;
  query: Record<string, string>;
}

/**
 * Resolves the target of one call: call options first, then the instance's, then `setKey` and the environment.
 * The instance's push URL is parsed once, when the instance is created, so a bad one fails early.
 */
export function createTargetResolver(options: FlashCallOptions): (call: CallOptions) => Target {
  const instancePushUrl: ParsedPushUrl | undefined = options.pushUrl
    ? parsePushUrl(options.pushUrl)
    : undefined;
  if (options.integrationKey !== undefined) resolveKey(options.integrationKey);
  if (options.baseUrl !== undefined) checkBaseUrl(options.baseUrl);
  // The instance's own key (explicit or from its push URL) outranks setKey and the environment, so with no per-call
  // override every push resolves to the same target: resolved once, instead of re-validating the key, registering it
  // as a secret and parsing the base URL on every push (a FLASHDUTY_BASE_URL it falls back to is read at the first).
  const instanceKey = options.integrationKey ?? instancePushUrl?.integrationKey;
  let instanceTarget: Target | undefined;
  return (call) => {
    const overridden = call.integrationKey !== undefined || call.pushUrl || call.baseUrl !== undefined;
    if (!overridden && instanceTarget) return instanceTarget;
    const target = resolveTarget(call);
    if (!overridden && instanceKey !== undefined) instanceTarget = target;
    return target;
  };

  function resolveTarget(call: CallOptions): Target {
    const callPushUrl = call.pushUrl ? parsePushUrl(call.pushUrl) : undefined;
    const resolved = resolveKey(
      call.integrationKey ??
        callPushUrl?.integrationKey ??
        options.integrationKey ??
        instancePushUrl?.integrationKey,
    );
    const pushUrl = call.integrationKey === undefined ? (callPushUrl ?? instancePushUrl) : callPushUrl;
    return {
      key: resolved.key,
      baseUrl: checkBaseUrl(
        call.baseUrl ??
          callPushUrl?.baseUrl ??
          options.baseUrl ??
          instancePushUrl?.baseUrl ??
          resolved.baseUrl ??
          // Through readEnv: a runtime may have no `process`, or one whose env throws (Deno without --allow-env).
          readEnv("FLASHDUTY_BASE_URL") ??
          DEFAULT_BASE_URL,
      ),
      query: pushUrl?.query ?? {},
      // An undefined user or strategy is no label: identityLabels skips it.
      identity: {
        user: options.user ?? resolved.user,
        strategy: options.strategy ?? resolved.strategy,
      } as KeyIdentity,
    };
  }
}

/**
 * A base URL must be an absolute http(s) URL with no query, fragment or credentials: anything else is a
 * configuration error, not a network error to retry — and a query could carry a key into hooks and spool files.
 */
function checkBaseUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new FlashdutyConfigError(
      `The base URL "${baseUrl}" is not an absolute http(s) URL: use one like ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.search + url.hash + url.username + url.password !== "") {
    throw new FlashdutyConfigError(
      "The base URL must not carry a query, fragment or credentials: pass a push URL as pushUrl, and the key as integrationKey.",
    );
  }
  return baseUrl;
}
