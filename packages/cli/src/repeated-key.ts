import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/**
 * Records `key` = `value` from a repeatable flag in `seen`, refusing a key given again with another value: only one
 * value can be sent, and keeping the last would drop the other without a word. The same pair given twice is
 * taken (nothing is lost).
 *
 * @param option the flag as the message names it, e.g. `"--label"`
 * @param command the command whose `--help` the message points to @default none
 * @throws UsageError (exit 2) quoting the key and both values
 * @example
 * const seen = new Map<string, string>();
 * takeOnce(seen, "team", "db", "--label");
 * takeOnce(seen, "team", "web", "--label"); // throws: --label gives "team" twice, as "db" and "web"…
 */
export function takeOnce(
  seen: Map<string, string>,
  key: string,
  value: string,
  option: string,
  command?: string,
): void {
  const earlier = seen.get(key);
  if (earlier !== undefined && earlier !== value) {
    throw new UsageError(
      `${option} gives ${quoteInput(key)} twice, as ${quoteInput(earlier)} and ${quoteInput(value)}; keep the one you mean`,
      command,
    );
  }
  seen.set(key, value);
}
