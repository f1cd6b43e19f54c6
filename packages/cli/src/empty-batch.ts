import type { BatchItem } from "./batch-input.js";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/** The flags of a command that reads a batch with `--file`. */
interface BatchFlags {
  file?: string | undefined;
  "allow-empty"?: boolean | undefined;
}

/**
 * Refuses a `--file` batch that holds no event (empty, blank lines only, `[]`) unless `--allow-empty` says that
 * is expected: a generator that failed without a word (`./check-disks | flash-call push -`) writes nothing, and
 * that run's alerts would be lost behind an exit 0. Refuses `--allow-empty` without `--file` too: it would change
 * nothing there, and a flag that does nothing is not taken without a word.
 *
 * @param items the batch as read; `undefined` when the command sends from flags (no `--file`)
 * @throws UsageError (exit 2, nothing sent) saying what to do
 * @example
 * refuseEmptyBatch(parseBatch(""), { file: "-" }, "push"); // throws: the input (stdin) holds no event…
 * refuseEmptyBatch(parseBatch(""), { file: "-", "allow-empty": true }, "push"); // accepted: nothing to send
 */
export function refuseEmptyBatch(
  items: readonly BatchItem[] | undefined,
  flags: BatchFlags,
  command: "push" | "change",
): void {
  if (items === undefined) {
    if (flags["allow-empty"] === true) {
      throw new UsageError("--allow-empty applies only to a batch read with --file", command);
    }
    return;
  }
  if (items.length > 0 || flags["allow-empty"] === true) return;
  const input =
    flags.file === "-" || flags.file === undefined ? "the input (stdin)" : `--file ${quoteInput(flags.file)}`;
  throw new UsageError(
    `${input} holds no event, so nothing was sent: a generator that failed writes nothing. If no event is what this run has to report, pass --allow-empty`,
    command,
  );
}
