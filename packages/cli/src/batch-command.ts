import type { AlertEvent } from "@flash-call/core";
import type { FlashCallEvent } from "flash-call";
import type { PushValues } from "./args.js";
import { parseBatch } from "./batch-input.js";
import { type CommandContext, connect, spoolDirectory } from "./connection.js";
import { INPUT_ERROR_CODES, preparedPayload } from "./deliver-one.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { parseEventTime } from "./event-time.js";
import { EXIT_CODES, type ExitCode, worstExitCode } from "./exit-codes.js";
import { parseLabelFlags } from "./label-flag.js";
import { readInput } from "./read-input.js";
import { writeSpoolEntry } from "./spool.js";
import { destinationBase } from "./spool-destination.js";

/** What happened to one event of a batch (the `results` of `--json` output). */
export type BatchResult =
  | { location: string; ok: true; alert_key: string; request_id: string }
  | {
      location: string;
      ok: false;
      outcome: "invalid" | "failed" | "spooled";
      error: ErrorReport;
      spooled?: string;
    };

function toEvent(value: Record<string, unknown>, extraLabels: Record<string, string>): FlashCallEvent {
  const event = { ...value } as unknown as FlashCallEvent & { event_time?: unknown };
  // JSON has no dates: accept the same ISO-8601 strings as --event-time.
  if (typeof event.event_time === "string") event.event_time = parseEventTime(event.event_time, "event_time");
  if (Object.keys(extraLabels).length > 0) {
    const own = typeof value.labels === "object" && value.labels !== null ? value.labels : {};
    event.labels = { ...extraLabels, ...(own as Record<string, string>) };
  }
  return event;
}

/**
 * `flash-call push --file F|-`: reads a JSON object, array or NDJSON; reports each invalid event with its
 * line or index; sends the valid ones through the SDK's paced queue; spools retryable failures when a
 * spool is set. Exit code: the most serious outcome (see {@link worstExitCode}).
 *
 * @example
 * await batchCommand({ file: "events.ndjson" }, context);
 */
export async function batchCommand(values: PushValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  const items = parseBatch(await readInput(values.file ?? "-", context.stdin));
  const extraLabels = parseLabelFlags(values.label);
  const flashCall = await connect(values, "push", context);
  const dryRun = values["dry-run"] === true;
  const results: BatchResult[] = [];
  const ready: { location: string; event: AlertEvent }[] = [];

  const invalid = (location: string, error: unknown) => {
    const report = reportError(error);
    if (report.code === "ConfigError") throw error;
    output.error(formatReport(report, location));
    results.push({ location, ok: false, outcome: "invalid", error: report });
  };

  for (const item of items) {
    if (item.error !== undefined) {
      invalid(item.location, { code: "InvalidJSON", message: item.error, retryable: false });
      continue;
    }
    try {
      const event = toEvent(item.value, extraLabels);
      const prepared = dryRun
        ? await preparedPayload(flashCall, event, (message) => output.warn(message))
        : flashCall.prepare(event);
      ready.push({ location: item.location, event: prepared.event });
    } catch (error) {
      invalid(item.location, error);
    }
  }

  if (dryRun) {
    for (const { event } of ready) output.print(JSON.stringify(event));
    return results.length > 0 ? EXIT_CODES.invalid : EXIT_CODES.delivered;
  }

  const directory = spoolDirectory(values, context.env);
  const baseUrl = directory === undefined ? undefined : destinationBase(values, context.env);
  const settled = await Promise.allSettled(ready.map(({ event }) => flashCall.enqueue(event)));
  for (const [index, outcome] of settled.entries()) {
    const { location, event } = ready[index] as (typeof ready)[number];
    if (outcome.status === "fulfilled") {
      const { request_id, data } = outcome.value;
      output.result(`delivered ${location} alert_key=${data.alert_key} request_id=${request_id}`);
      results.push({ location, ok: true, alert_key: data.alert_key, request_id });
      continue;
    }
    const report = reportError(outcome.reason);
    const lines = formatReport(report, location);
    if (report.retryable && directory !== undefined) {
      try {
        const name = await writeSpoolEntry(directory, {
          event,
          ...(baseUrl !== undefined && { base_url: baseUrl }),
          reason: { code: report.code, message: report.message },
        });
        lines.push(`spooled as ${name}`);
        output.error(lines);
        results.push({ location, ok: false, outcome: "spooled", error: report, spooled: name });
        continue;
      } catch (spoolError) {
        lines.push(`and could not spool it: ${reportError(spoolError).message}`);
      }
    }
    output.error(lines);
    const kind = INPUT_ERROR_CODES.has(report.code) ? "invalid" : "failed";
    results.push({ location, ok: false, outcome: kind, error: report });
  }
  await flashCall.close();

  const count = (outcome: string) =>
    results.filter((result) => !result.ok && result.outcome === outcome).length;
  const summary = {
    delivered: results.filter((result) => result.ok).length,
    invalid: count("invalid"),
    failed: count("failed"),
    spooled: count("spooled"),
  };
  output.result(
    items.length === 0
      ? "batch: nothing to send"
      : `batch: ${summary.delivered} delivered, ${summary.invalid} invalid, ${summary.failed} failed, ${summary.spooled} spooled`,
  );
  const code = worstExitCode(
    results.map((result) => {
      if (result.ok) return EXIT_CODES.delivered;
      if (result.outcome === "invalid") return EXIT_CODES.invalid;
      return result.outcome === "spooled" ? EXIT_CODES.spooled : EXIT_CODES.failed;
    }),
  );
  output.data({ ok: code === EXIT_CODES.delivered, ...summary, results });
  if (directory !== undefined && summary.spooled > 0)
    output.error([`run: flash-call flush --spool ${directory}`]);
  return code;
}
