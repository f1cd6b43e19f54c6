import { setOwnProperty } from "./own-property.js";
import { quoteInput } from "./quote-input.js";
import { takeOnce } from "./repeated-key.js";
import { UsageError } from "./usage-error.js";

/**
 * Parses repeated `--label key=value` flags. The value is everything after the first `=`, so values may
 * contain `=`; an empty value is kept (the SDK decides what to do with it). A key given again with another value
 * is a {@link UsageError} (see takeOnce); given again with the same value, it is taken once. Any name is kept as
 * an ordinary label, `__proto__` and `constructor` included; the SDK validates names.
 *
 * @example
 * parseLabelFlags(["team=db", "query=a=b"]); // { team: "db", query: "a=b" }
 */
export function parseLabelFlags(
  flags: readonly string[] | undefined,
  option = "--label",
): Record<string, string> {
  const labels: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const flag of flags ?? []) {
    const split = flag.indexOf("=");
    if (split <= 0) throw new UsageError(`${option} needs key=value, got ${quoteInput(flag)}`);
    const key = flag.slice(0, split);
    const value = flag.slice(split + 1);
    takeOnce(seen, key, value, option);
    setOwnProperty(labels, key, value);
  }
  return labels;
}
