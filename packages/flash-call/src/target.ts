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
  // The instance's own key (explicit or from its push URL) outranks setKey and the environment: resolved (validated,
  // registered as a secret) once here, not on every push.
  const instanceKey = options.integrationKey ?? instancePushUrl?.integrationKey;
  const instanceResolved = instanceKey === undefined ? undefined : resolveKey(instanceKey);
  if (options.baseUrl !== undefined) checkBaseUrl(options.baseUrl);
  // Base URLs already checked, so that a push does not parse the same URL again.
  const checked = new Map<string, string>();
  return (call) => {
    const callPushUrl = call.pushUrl ? parsePushUrl(call.pushUrl) : undefined;
    const callKey = call.integrationKey ?? callPushUrl?.integrationKey;
    const resolved = callKey === undefined ? (instanceResolved ?? resolveKey()) : resolveKey(callKey);
    const pushUrl = call.integrationKey === undefined ? (callPushUrl ?? instancePushUrl) : callPushUrl;
    return {
      key: resolved.key,
      baseUrl: checkedBaseUrl(
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
  };

  function checkedBaseUrl(baseUrl: string): string {
    let normalized = checked.get(baseUrl);
    if (normalized === undefined) {
      normalized = checkBaseUrl(baseUrl);
      // Bounded: per-call base URLs could be many.
      if (checked.size < 100) checked.set(baseUrl, normalized);
    }
    return normalized;
  }
}

/**
 * A base URL must be an absolute http(s) URL with no query, fragment or credentials: anything else is a
 * configuration error, not a network error to retry — and a query could carry a key into hooks and spool files.
 * Returns it without trailing slashes.
 */
function checkBaseUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    // Not quoted: a mistyped URL may hold the key anywhere (a bare query, the path), and it is not registered yet.
    throw new FlashdutyConfigError(
      `The base URL (${baseUrl.length} characters) is not an absolute http(s) URL: use one like ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.search + url.hash + url.username + url.password !== "") {
    throw new FlashdutyConfigError(
      "The base URL must not carry a query, fragment or credentials: pass a push URL as pushUrl, and the key as integrationKey.",
    );
  }
  // The push path is appended to it: "https://api.flashcat.cloud/" must not give "//event/push/…".
  return baseUrl.replace(/\/+$/, "");
}
