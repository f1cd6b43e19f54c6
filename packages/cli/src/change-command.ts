import type { FlashCallChange } from "flash-call";
import type { ChangeValues } from "./args.js";
import { batchEvent } from "./batch-event.js";
import { parseBatch } from "./batch-input.js";
import { type BatchResult, batchExitCode, summarize } from "./batch-result.js";
import { changeDestination, connectChange } from "./change-connection.js";
import { changeSender } from "./change-delivery.js";
import { changeFromFlags, normaliseChangeStatus } from "./change-from-flags.js";
import { type CommandContext, connectionFlags } from "./connection.js";
import { checkDryRunProxy } from "./dry-run.js";
import { type DryRunResult, printDryRunBatch } from "./dry-run-batch.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode, failureExitCode } from "./exit-codes.js";
import { flushHint } from "./flush-hint.js";
import { parseLabelFlags } from "./label-flag.js";
import { OverriddenLabels } from "./overridden-labels.js";
import { readInput } from "./read-input.js";
import { failureLines, reportUndelivered } from "./send-or-spool.js";
import { unlessStopped } from "./shutdown.js";
import { UsageError } from "./usage-error.js";

/**
 * `flash-call change`: one change event from flags, or a batch with `--file` (JSON object, array or NDJSON),
 * sent to the change integration (`--push-url`/`--key`, else FLASHDUTY_CHANGE_INTEGRATION_KEY, else
 * FLASHDUTY_CHANGE_PUSH_URL). A batch's changes are all validated first, then sent one by one, in order, so a
 * change's statuses arrive in the order given. With `--spool DIR` (or FLASH_CALL_SPOOL) each change is written ahead and kept when it cannot be
 * delivered now or a stop signal aborts it, as `push` does (see changeSender); `flush` sends it to the change
 * integration later. Exit codes as for `push`: 0 delivered, 1 not delivered, 2 usage or validation error
 * (nothing sent), 3 spooled. `--dry-run` prints the prepared events (with `--json` and `--file`, one document of
 * every outcome: see printDryRunBatch) and needs no key.
 *
 * @example
 * await changeCommand({ title: "Deploy v2", status: "done", "change-key": "deploy-42" }, context); // 0
 */
export async function changeCommand(values: ChangeValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  // `given`: a batch's change as read, before its --label flags were merged in (see OverriddenLabels).
  let inputs: {
    location: string;
    change?: FlashCallChange;
    given?: Record<string, unknown>;
    error?: unknown;
  }[];
  let overridden: OverriddenLabels | undefined;
  if (values.file !== undefined) {
    for (const flag of ["title", "status", "change-key", "description", "link", "event-time"] as const) {
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag} cannot be combined with --file`, "change");
    }
    const extraLabels = parseLabelFlags(values.label);
    overridden = new OverriddenLabels(extraLabels);
    const items = parseBatch(
      await unlessStopped(readInput(values.file, context.stdin), context.stop, "reading the input"),
    );
    inputs = items.map((item) => {
      if (item.error !== undefined) {
        return {
          location: item.location,
          error: { code: "InvalidJSON", message: item.error, retryable: false },
        };
      }
      try {
        return {
          location: item.location,
          change: batchEvent<FlashCallChange>(item.value, extraLabels),
          given: item.value,
        };
      } catch (error) {
        return { location: item.location, error };
      }
    });
  } else {
    if (values.status === undefined) {
      throw new UsageError("--status is required (Planned, Ready, Processing, Canceled or Done)", "change");
    }
    inputs = [
      { location: "", change: changeFromFlags(values, normaliseChangeStatus(values.status), "change") },
    ];
  }

  const dryRun = values["dry-run"] === true;
  if (dryRun) {
    connectionFlags(values, "change", output);
    try {
      changeDestination(values, context.env);
    } catch (error) {
      output.warn(
        `dry run only: ${reportError(error, "change").message} A real run would stop here (exit 2).`,
      );
    }
    checkDryRunProxy(context);
  }
  // A dry run needs no key: it prepares changes without an instance, and says what it truncated as one would.
  const connection = dryRun ? undefined : await connectChange(values, "change", context);
  const sender = connection === undefined ? undefined : await changeSender(connection, values, context);
  const { prepareChange, preparationWarnings } = await import("flash-call");
  const prepare = (change: FlashCallChange) => {
    if (sender !== undefined) return sender.prepare(change);
    const prepared = prepareChange(change);
    for (const line of preparationWarnings(prepared)) output.warn(line);
    return prepared.event;
  };

  const results: BatchResult[] = [];
  // A dry run's every outcome, in input order, for its report (see printDryRunBatch).
  const dryRunResults: DryRunResult[] = [];
  const fail = (location: string, outcome: "invalid" | "failed", error: unknown) => {
    const report = reportError(error, "change");
    output.error(formatReport(report, location || undefined));
    const result = { location, ok: false, outcome, error: report } as const;
    results.push(result);
    if (dryRun) dryRunResults.push(result);
  };
  // Every change is prepared before any is sent, as push --file does: what is invalid, and which --label flags
  // the valid changes' own labels overrode, is said before sending starts.
  const ready: { location: string; prepared: ReturnType<typeof prepare> }[] = [];
  for (const { location, change, given, error } of inputs) {
    if (change === undefined) {
      fail(location, "invalid", error);
      continue;
    }
    try {
      const prepared = prepare(change);
      if (given !== undefined) overridden?.note(given, prepared);
      ready.push({ location, prepared });
      if (sender === undefined && values.file !== undefined) {
        dryRunResults.push({ location, ok: true, event: prepared });
      }
    } catch (thrown) {
      fail(location, "invalid", thrown);
    }
  }
  const overrides = overridden?.message();
  if (overrides !== undefined) output.warn(overrides);
  for (const { location, prepared } of ready) {
    if (sender === undefined) {
      if (values.file === undefined) {
        output.print(output.json ? JSON.stringify(prepared) : JSON.stringify(prepared, null, 2));
      }
      continue;
    }
    const delivery = await sender.send(prepared, context.stop);
    if (delivery.outcome === "delivered") {
      const { request_id } = delivery.result;
      output.result(
        `delivered${location === "" ? "" : ` ${location}`} change_key=${prepared.change_key} status=${prepared.change_status} request_id=${request_id}`,
      );
      // Counted like a batch's delivered event; the JSON names the change, not an alert.
      results.push({ location, ok: true, change_key: prepared.change_key, request_id } as never);
      continue;
    }
    if (values.file === undefined) return reportUndelivered(delivery, sender.directory, output);
    if (delivery.outcome === "spooled") {
      output.error([...formatReport(delivery.report, location), `spooled as ${delivery.name}`]);
      results.push({
        location,
        ok: false,
        outcome: "spooled",
        error: delivery.report,
        spooled: delivery.name,
      });
    } else {
      output.error(failureLines(delivery, location));
      results.push({ location, ok: false, outcome: "failed", error: delivery.report });
    }
  }
  if (dryRun) {
    if (values.file !== undefined) printDryRunBatch(output, dryRunResults);
    // One change that is invalid: its error as JSON too, as a send would print it.
    else if (results[0]?.ok === false) output.data({ ok: false, error: results[0].error });
    return results.length > 0 ? EXIT_CODES.invalid : EXIT_CODES.delivered;
  }
  if (values.file === undefined) {
    const only = results[0];
    if (only?.ok) {
      output.data({ ok: true, change_key: inputs[0]?.change?.change_key, request_id: only.request_id });
      return EXIT_CODES.delivered;
    }
    output.data({ ok: false, error: only?.ok === false ? only.error : undefined });
    return only?.ok === false ? failureExitCode(only.error.code) : EXIT_CODES.failed;
  }
  const summary = summarize(results);
  output.result(
    `changes: ${summary.delivered} delivered, ${summary.invalid} invalid, ${summary.failed} failed, ${summary.spooled} spooled`,
  );
  const code = batchExitCode(results);
  output.data({ ok: code === EXIT_CODES.delivered, ...summary, results });
  if (sender?.directory !== undefined && summary.spooled > 0) output.error([flushHint(sender.directory)]);
  return code;
}
