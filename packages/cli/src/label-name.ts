import { LIMITS } from "@flash-call/core/constants";

/**
 * Makes any string a valid Flashduty label key (Prometheus rules `[a-zA-Z_][a-zA-Z0-9_]*`, ≤ `LIMITS.label_key` chars):
 * every other character becomes `_`, a leading digit gets a `_` prefix. Case is kept (keys are case-sensitive).
 *
 * @example
 * labelName("ob.cluster-id"); // "ob_cluster_id"
 * labelName("1st"); // "_1st"
 */
export function labelName(name: string, maxLength: number = LIMITS.label_key): string {
  let safe = name.replace(/[^a-zA-Z0-9_]/g, "_");
  if (safe === "" || /^[0-9]/.test(safe)) safe = `_${safe}`;
  return safe.slice(0, maxLength);
}
