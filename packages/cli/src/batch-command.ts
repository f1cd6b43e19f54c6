import { setMaxListeners } from "node:events";
import type { AlertEvent } from "@flash-call/core";
import type { FlashCallEvent } from "flash-call";
import type { PushValues } from "./args.js";
import { parseBatch } from "./batch-input.js";
import { type CommandContext, connect, spoolDirectory } from "./connection.js";
import {
  INPUT_ERROR_CODES,
  preparedPayload,
  queuedBehindReport,
  settleDelivered,
  settleFailure,
  spoolReason,
  stoppedReport,
  writeAhead,
} from "./deliver-one.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { parseEventTime } from "./event-time.js";
import { EXIT_CODES, type ExitCode, worstExitCode } from "./exit-codes.js";
import { feedKeyed } from "./keyed-feed.js";
import { parseLabelFlags } from "./label-flag.js";
import type { Output } from "./output.js";
import { readInput } from "./read-input.js";
import { stopReason, unlessStopped } from "./shutdown.js";
import { type PendingAlertKeys, pendingAlertKeys, writeSpoolEntry } from "./spool.js";
import { configuredBase } from "./spool-destination.js";

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

/**
 * How many events of a batch are handed to the SDK's queue at once: well under its `maxQueue` (10,000 by
 * default), so a batch of any size never meets `QueueFull`, and far more than its concurrency, so the queue
 * never runs dry.
 */
const FEED_WINDOW = 1_000;

/** The spool's pending alert keys; if the spool cannot be read, says so and assumes none. */
async function readPendingKeys(directory: string, output: Output): Promise<PendingAlertKeys | undefined> {
  try {
    return await pendingAlertKeys(directory);
  } catch (error) {
    output.warn(`could not read the spool ${directory} (${reportError(error).message}); sending anyway`);
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function toEvent(value: Record<string, unknown>, extraLabels: Record<string, string>): FlashCallEvent {
  const event = { ...value } as unknown as FlashCallEvent & { event_time?: unknown };
  // JSON has no dates: accept the same ISO-8601 strings as --event-time.
  if (typeof event.event_time === "string") event.event_time = parseEventTime(event.event_time, "event_time");
  // Labels of the wrong shape (a string, an array, null) are left as they are, for validation to report:
  // merging --label into them would silently drop them.
  if (Object.keys(extraLabels).length > 0 && (value.labels === undefined || isPlainObject(value.labels))) {
    event.labels = { ...extraLabels, ...(value.labels as Record<string, string> | undefined) };
  }
  return event;
}

/**
 * `flash-call push --file F|-`: reads a JSON object, array or NDJSON; reports each invalid event with its
 * line or index; sends the valid ones through the SDK's paced queue (fed {@link FEED_WINDOW} at a time,
 * events of one alert one after another); spools retryable failures when a spool is set, and spools without
 * sending an event whose alert_key has an earlier event in the spool. Exit code: the most serious outcome
 * (see {@link worstExitCode}).
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
  // Alert keys with an event waiting in the spool (from earlier runs, then from this one): a later event of
  // the same alert is spooled behind it instead of overtaking it.
  const spooledKeys = new Set<string>();
  const pending = directory === undefined ? undefined : await readPendingKeys(directory, output);
  const waitsBehind = (alertKey: string) => spooledKeys.has(alertKey) || pending?.has(alertKey) === true;

  // Each event would repeat the same spool warning (an unwritable directory): say it once.
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    output.warn(message);
  };
  const stop = context.stop;
  // Every event in flight listens on the stop signal: a window of them is no leak, so no warning for it.
  if (stop !== undefined) setMaxListeners(0, stop);
  const spool =
    directory === undefined ? undefined : { directory, baseUrl: configuredBase(values, context.env) };
  const callOptions = {
    ...(spool !== undefined && { baseUrl: spool.baseUrl }),
    ...(stop !== undefined && { signal: stop }),
  };
  const spooledResult = (location: string, event: AlertEvent, report: ErrorReport, name: string) => {
    if (event.alert_key !== undefined) spooledKeys.add(event.alert_key);
    return {
      result: { location, ok: false as const, outcome: "spooled" as const, error: report, spooled: name },
      lines: [...formatReport(report, location), `spooled as ${name}`],
    };
  };

  const outcomes = await feedKeyed(
    ready,
    ({ event }) => event.alert_key,
    FEED_WINDOW,
    async ({ location, event }): Promise<{ result: BatchResult; lines: string[] }> => {
      let report: ErrorReport;
      // Checked before this event is written ahead, so that its own copy never counts as an earlier one.
      if (spool !== undefined && event.alert_key !== undefined && waitsBehind(event.alert_key)) {
        report = queuedBehindReport(event.alert_key);
        try {
          const name = await writeSpoolEntry(
            spool.directory,
            { event, base_url: spool.baseUrl, reason: spoolReason(report) },
            { warn },
          );
          return spooledResult(location, event, report, name);
        } catch (spoolError) {
          const lines = [
            ...formatReport(report, location),
            `and could not spool it: ${reportError(spoolError).message}`,
          ];
          return { result: { location, ok: false, outcome: "failed", error: report }, lines };
        }
      }
      const { claim, problem } = spool === undefined ? {} : await writeAhead(spool, event, warn);
      try {
        // Once stopped, the rest of the batch is not sent: it is written to the spool and left there.
        if (stop?.aborted) throw stop.reason;
        const { request_id, data } = await flashCall.enqueue(event, callOptions);
        await settleDelivered(claim, warn);
        const result = { location, ok: true as const, alert_key: data.alert_key, request_id };
        return {
          result,
          lines: [`delivered ${location} alert_key=${data.alert_key} request_id=${request_id}`],
        };
      } catch (error) {
        const signal = stopReason(stop);
        report = signal === undefined ? reportError(error) : stoppedReport(signal);
      }
      if (claim !== undefined) {
        const name = await settleFailure(claim, report, warn);
        if (name !== undefined) return spooledResult(location, event, report, name);
      }
      const lines = formatReport(report, location);
      if (report.retryable && problem !== undefined) lines.push(`and could not spool it: ${problem}`);
      const kind = INPUT_ERROR_CODES.has(report.code) ? "invalid" : "failed";
      return { result: { location, ok: false, outcome: kind, error: report }, lines };
    },
  );
  for (const { result, lines } of outcomes) {
    if (result.ok) output.result(lines.join("\n"));
    else output.error(lines);
    results.push(result);
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
