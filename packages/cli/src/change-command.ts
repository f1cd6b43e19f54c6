import type { FlashCall, FlashCallChange } from "flash-call";
import type { ChangeValues } from "./args.js";
import { batchEvent } from "./batch-event.js";
import { parseBatch } from "./batch-input.js";
import { type BatchResult, batchExitCode, summarize } from "./batch-result.js";
import { changeDestination, connectChange } from "./change-connection.js";
import { changeFromFlags, normaliseChangeStatus } from "./change-from-flags.js";
import { type CommandContext, connectionFlags, spoolDirectory } from "./connection.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode, failureExitCode } from "./exit-codes.js";
import { parseLabelFlags } from "./label-flag.js";
import { readInput } from "./read-input.js";
import { unlessStopped } from "./shutdown.js";
import { UsageError } from "./usage-error.js";

/**
 * `flash-call change`: one change event from flags, or a batch with `--file` (JSON object, array or NDJSON),
 * sent to the change integration (`--push-url`/`--key`, else FLASHDUTY_CHANGE_INTEGRATION_KEY, else
 * FLASHDUTY_CHANGE_PUSH_URL). Batches are sent one by one, in order, so a change's statuses arrive in the order
 * given. Exit codes as for `push`: 0 delivered, 1 not delivered, 2 usage or validation error (nothing sent).
 * `--dry-run` prints the prepared events and needs no key. Change events are not spooled: a failure is
 * reported on stderr.
 *
 * @example
 * await changeCommand({ title: "Deploy v2", status: "done", "change-key": "deploy-42" }, context); // 0
 */
export async function changeCommand(values: ChangeValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  warnNoSpool(values, context);
  let inputs: { location: string; change?: FlashCallChange; error?: unknown }[];
  if (values.file !== undefined) {
    for (const flag of ["title", "status", "change-key", "description", "link", "event-time"] as const) {
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag} cannot be combined with --file`, "change");
    }
    const extraLabels = parseLabelFlags(values.label);
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
        return { location: item.location, change: batchEvent<FlashCallChange>(item.value, extraLabels) };
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
      output.warn(`dry run only: ${reportError(error).message} A real run would stop here (exit 2).`);
    }
  }
  // A dry run needs no key: it prepares changes without an instance, and says what it truncated as one would.
  const flashCall: FlashCall | undefined = dryRun
    ? undefined
    : await connectChange(values, "change", context);
  const { prepareChange } = await import("flash-call");
  const prepare = (change: FlashCallChange) => {
    if (flashCall !== undefined) return flashCall.prepareChange(change).event;
    const prepared = prepareChange(change);
    for (const cut of prepared.truncations) {
      output.warn(`${cut.path} was ${cut.from} characters; truncated to ${cut.to} as Flashduty would`);
    }
    return prepared.event;
  };

  const results: BatchResult[] = [];
  const fail = (location: string, outcome: "invalid" | "failed", error: unknown) => {
    const report = reportError(error);
    output.error(formatReport(report, location || undefined));
    results.push({ location, ok: false, outcome, error: report });
  };
  for (const { location, change, error } of inputs) {
    if (change === undefined) {
      fail(location, "invalid", error);
      continue;
    }
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(change);
    } catch (thrown) {
      fail(location, "invalid", thrown);
      continue;
    }
    if (flashCall === undefined) {
      output.print(
        output.json || location !== "" ? JSON.stringify(prepared) : JSON.stringify(prepared, null, 2),
      );
      continue;
    }
    try {
      const answer = await flashCall.change(
        change,
        context.stop === undefined ? undefined : { signal: context.stop },
      );
      output.result(
        `delivered change_key=${change.change_key} status=${change.change_status} request_id=${answer.request_id}`,
      );
      // Counted like a batch's delivered event; the JSON names the change, not an alert.
      results.push({
        location,
        ok: true,
        change_key: change.change_key,
        request_id: answer.request_id,
      } as never);
    } catch (thrown) {
      fail(location, "failed", thrown);
    }
  }
  if (dryRun) return results.length > 0 ? EXIT_CODES.invalid : EXIT_CODES.delivered;
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
    `changes: ${summary.delivered} delivered, ${summary.invalid} invalid, ${summary.failed} failed`,
  );
  const code = batchExitCode(results);
  output.data({ ok: code === EXIT_CODES.delivered, ...summary, results });
  return code;
}

/**
 * Change events are not kept in the spool (whose entries and `flush` are alert events'): with `--spool` or
 * FLASH_CALL_SPOOL set, says once that a failed change is reported on stderr instead.
 *
 * @example
 * warnNoSpool(values, context);
 */
export function warnNoSpool(values: { spool?: string | undefined }, context: CommandContext): void {
  if (spoolDirectory(values as ChangeValues, context.env) !== undefined) {
    context.output.warn("change events are not spooled: a change that cannot be delivered is reported here");
  }
}
