import type { KeyIdentity } from "./key-store.js";

/** The identity labels Flashduty shows on an alert. */
export interface IdentityLabels {
  user_id?: string;
  strategy_id?: string;
}

/**
 * The `user_id` / `strategy_id` labels for a user and strategy: only the ones given (empty strings count as not
 * given, as in the Python SDK).
 *
 * @example
 * ```ts
 * identityLabels({ user: "ops-bot" }); // { user_id: "ops-bot" }
 * identityLabels({}); // {}
 * ```
 */
export function identityLabels(identity: KeyIdentity = {}): IdentityLabels {
  const labels: IdentityLabels = {};
  if (identity.user) labels.user_id = identity.user;
  if (identity.strategy) labels.strategy_id = identity.strategy;
  return labels;
}
