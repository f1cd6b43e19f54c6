import type { BatchResult } from "./batch-result.js";
import type { Output } from "./output.js";

/** What a dry run made of one event of a batch: the payload a send would carry, or why it is invalid. */
export type DryRunResult =
  | { location: string; ok: true; event: unknown }
  | Extract<BatchResult, { ok: false }>;

/**
 * Prints a dry-run batch. With `--json`, one document, as a sent batch prints one: every event in input order,
 * each with its location, the payload a send would carry or the invalid event's error (its code, message and
 * issues), `valid` and `invalid` counted, `ok` only when none is invalid (`dry_run: true` tells it from a
 * delivery). Without, each payload on its own line (the invalid ones were said on stderr).
 *
 * @example
 * printDryRunBatch(output, [{ location: "line 1", ok: true, event }]);
 * // --json: {"ok":true,"dry_run":true,"valid":1,"invalid":0,"results":[{"location":"line 1","ok":true,"event":{…}}]}
 */
export function printDryRunBatch(output: Output, results: readonly DryRunResult[]): void {
  if (!output.json) {
    for (const result of results) if (result.ok) output.print(JSON.stringify(result.event));
    return;
  }
  const valid = results.filter((result) => result.ok).length;
  const invalid = results.length - valid;
  output.data({ ok: invalid === 0, dry_run: true, valid, invalid, results });
}
