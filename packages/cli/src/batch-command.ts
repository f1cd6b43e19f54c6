import type { PushValues } from "./args.js";
import { batchEvent } from "./batch-event.js";
import { feedBatch, type ReadyEvent } from "./batch-feed.js";
import { parseBatch } from "./batch-input.js";
import { type BatchResult, batchExitCode, summarize } from "./batch-result.js";
import { type CommandContext, connect, spoolDirectory } from "./connection.js";
import { checkDryRun, dryRunEvent } from "./dry-run.js";
import { type DryRunResult, printDryRunBatch } from "./dry-run-batch.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { flushHint } from "./flush-hint.js";
import { parseLabelFlags } from "./label-flag.js";
import { OverriddenLabels } from "./overridden-labels.js";
import { readInput } from "./read-input.js";
import { spoolTarget } from "./send-or-spool.js";
import { unlessStopped } from "./shutdown.js";

export type { BatchResult } from "./batch-result.js";

/**
 * `flash-call push --file F|-`: reads a JSON object, array or NDJSON; reports each invalid event with its
 * line or index; sends the valid ones through the SDK's paced queue (see feedBatch); spools failures worth
 * retrying later when a spool is set, and spools without sending an event whose alert_key has an earlier
 * event in the spool. Exit code: the most serious outcome (see batchExitCode). `--dry-run` prints each
 * prepared event, one per line (with `--json`, one document of every outcome: see printDryRunBatch), and needs
 * no key.
 *
 * @example
 * await batchCommand({ file: "events.ndjson" }, context);
 */
export async function batchCommand(values: PushValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  const items = parseBatch(
    await unlessStopped(readInput(values.file ?? "-", context.stdin), context.stop, "reading the input"),
  );
  const extraLabels = parseLabelFlags(values.label);
  const overridden = new OverriddenLabels(extraLabels);
  const dryRun = values["dry-run"] === true;
  const connection = dryRun ? undefined : await connect(values, "push", context);
  if (dryRun) checkDryRun(values, "push", context);
  const results: BatchResult[] = [];
  const ready: ReadyEvent[] = [];
  // A dry run's every outcome, in input order, for its report (see printDryRunBatch).
  const dryRunResults: DryRunResult[] = [];

  const invalid = (location: string, error: unknown) => {
    const report = reportError(error);
    output.error(formatReport(report, location));
    const result = { location, ok: false, outcome: "invalid", error: report } as const;
    results.push(result);
    if (dryRun) dryRunResults.push(result);
  };
  for (const item of items) {
    if (item.error !== undefined) {
      invalid(item.location, { code: "InvalidJSON", message: item.error, retryable: false });
      continue;
    }
    try {
      const event = batchEvent(item.value, extraLabels);
      const prepared = connection
        ? connection.flashCall.prepare(event).event
        : await dryRunEvent(event, (message) => output.warn(message));
      overridden.note(item.value, prepared);
      ready.push({ location: item.location, event: prepared });
      if (dryRun) dryRunResults.push({ location: item.location, ok: true, event: prepared });
    } catch (error) {
      invalid(item.location, error);
    }
  }
  const overrides = overridden.message();
  if (overrides !== undefined) output.warn(overrides);

  if (connection === undefined) {
    printDryRunBatch(output, dryRunResults);
    return results.length > 0 ? EXIT_CODES.invalid : EXIT_CODES.delivered;
  }
  const { flashCall, destination } = connection;
  const directory = spoolDirectory(values, context.env);
  const spool = directory === undefined ? undefined : spoolTarget(directory, destination.baseUrl);
  results.push(...(await feedBatch(ready, flashCall, { spool, stop: context.stop, output })));
  await flashCall.close();

  const summary = summarize(results);
  output.result(
    items.length === 0
      ? "batch: nothing to send"
      : `batch: ${summary.delivered} delivered, ${summary.invalid} invalid, ${summary.failed} failed, ${summary.spooled} spooled`,
  );
  const code = batchExitCode(results);
  output.data({ ok: code === EXIT_CODES.delivered, ...summary, results });
  if (directory !== undefined && summary.spooled > 0) output.error([flushHint(directory)]);
  return code;
}
