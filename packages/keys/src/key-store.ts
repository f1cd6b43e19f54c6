import { IntegrationKey, isIntegrationKey } from "./integration-key.js";
import { readIdentity } from "./read-identity.js";

/** Who sends, and under which strategy: attached to every event as the `user_id` / `strategy_id` labels. */
export interface KeyIdentity {
  /** Sent as the `user_id` label. @default none */
  user?: string;
  /** Sent as the `strategy_id` label. @default none */
  strategy?: string;
}

/** The process-wide default key, as {@link setKey} stored it. */
export interface StoredKey extends KeyIdentity {
  key: IntegrationKey;
}

let stored: StoredKey | undefined;

/**
 * Sets the process-wide default integration key (parity with the Python SDK's `set_key`), optionally with the
 * `user` and `strategy` that become the `user_id` / `strategy_id` labels of every event.
 *
 * @throws FlashdutyConfigError when the key is malformed (the message never shows it), or `user` or `strategy` is
 * not a string
 * @example
 * ```ts
 * setKey(process.env.FLASHDUTY_INTEGRATION_KEY!, { user: "ops-bot", strategy: "db" });
 * ```
 */
export function setKey(key: string | IntegrationKey, options: KeyIdentity = {}): void {
  const integrationKey = isIntegrationKey(key) ? key : new IntegrationKey(key, "The key given to setKey()");
  // Read before anything is stored: a call that throws keeps the previous key and identity, as a bad key does.
  stored = { key: integrationKey, ...readIdentity(options, "setKey()") };
}

/**
 * The key {@link setKey} stored, with its user and strategy.
 *
 * @returns `undefined` until `setKey` is called, or after {@link clearKey}
 * @example
 * ```ts
 * getKey()?.key.masked; // "****#1a2b3c"
 * ```
 */
export function getKey(): StoredKey | undefined {
  return stored === undefined ? undefined : { ...stored };
}

/**
 * Forgets the process-wide default key. The key stays registered for `redact()`: it may still be in old logs.
 *
 * @example
 * ```ts
 * afterEach(() => clearKey());
 * ```
 */
export function clearKey(): void {
  stored = undefined;
}
