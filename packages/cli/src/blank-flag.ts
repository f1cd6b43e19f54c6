import { UsageError } from "./usage-error.js";

/**
 * A flag's value, refused when it is blank. A blank environment variable counts as not set (shells and CI write
 * an unset one so), but a blank flag was given: `--spool "$SPOOL_DIR"` with the variable unset would otherwise
 * run without a spool, and an undeliverable alert would be lost instead of kept, without a word.
 *
 * @param name the flag as the message names it, e.g. `"--spool"`
 * @param command the command whose `--help` the message points to @default none
 * @throws UsageError (exit 2) for an empty or whitespace-only value
 * @example
 * nonBlankFlag(values.spool, "--spool"); // values.spool, or undefined when not given
 * nonBlankFlag(" ", "--spool"); // throws: --spool is empty
 */
export function nonBlankFlag(value: string | undefined, name: string, command?: string): string | undefined {
  if (value !== undefined && value.trim() === "") {
    throw new UsageError(
      `${name} is empty; give it a value, or leave the flag out (was it given from a variable that is not set?)`,
      command,
    );
  }
  return value;
}
