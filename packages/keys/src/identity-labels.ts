import type { KeyIdentity } from "./key-store.js";
import { readIdentity } from "./read-identity.js";

/** The identity labels Flashduty shows on an alert. */
export interface IdentityLabels {
  user_id?: string;
  strategy_id?: string;
}

/**
 * The `user_id` / `strategy_id` labels for a user and strategy: only the ones given (empty strings count as not
 * given, as in the Python SDK). `null` is no identity.
 *
 * @throws FlashdutyConfigError when `user` or `strategy` is not a string, or reading them throws
 *
 * @example
 * ```ts
 * identityLabels({ user: "ops-bot" }); // { user_id: "ops-bot" }
 * identityLabels({}); // {}
 * ```
 */
export function identityLabels(given: KeyIdentity = {}): IdentityLabels {
  const identity = readIdentity(given, "identityLabels()");
  const labels: IdentityLabels = {};
  if (identity.user) labels.user_id = identity.user;
  if (identity.strategy) labels.strategy_id = identity.strategy;
  return labels;
}
