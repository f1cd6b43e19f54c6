import type { AlertEvent } from "@flash-call/core";
import type { FlashCall, FlashCallEvent } from "flash-call";
import type { CommandContext } from "./connection.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { stopReason } from "./shutdown.js";
import { pendingAlertKeys, type SpoolClaim, writeAheadEntry, writeSpoolEntry } from "./spool.js";

/** How {@link deliverOne} treats the event beyond sending it. */
export interface DeliverySettings {
  /** Print the prepared payload instead of sending. */
  dryRun: boolean;
  /** Where to keep the event until it is delivered (write-ahead), and the base URL it is sent to and recorded with. */
  spool?: { directory: string; baseUrl: string } | undefined;
}

/** Error codes that mean "fix the input or the configuration": exit 2, nothing was sent. */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  "UsageError",
  "ValidationError",
  "ConfigError",
]);

/**
 * Why an event was spooled without being sent: the spool already holds an earlier event of its alert, and
 * sending this one now would overtake it (a recovery delivered before its alert, which a later flush would
 * then re-open).
 *
 * @example
 * queuedBehindReport("disk-db1").code; // "QueuedBehind"
 */
export function queuedBehindReport(alertKey: string): ErrorReport {
  return {
    code: "QueuedBehind",
    message: `not sent: queued behind an earlier spooled event for alert_key ${alertKey}, so flush delivers them in order`,
    retryable: true,
  };
}

/**
 * Why an event was not delivered when a stop signal aborted it: retryable, so it is kept in the spool.
 *
 * @example
 * stoppedReport("SIGTERM").message; // "not delivered: stopped by SIGTERM before Flashduty answered"
 */
export function stoppedReport(signal: string): ErrorReport {
  return {
    code: "Stopped",
    message: `not delivered: stopped by ${signal} before Flashduty answered`,
    retryable: true,
  };
}

/**
 * The spool reason recorded for a report: its code and message, plus status and request_id when known.
 *
 * @example
 * spoolReason(queuedBehindReport("disk-db1")); // { code: "QueuedBehind", message: "not sent: …" }
 */
export function spoolReason(report: ErrorReport) {
  return {
    code: report.code,
    message: report.message,
    ...(report.status !== undefined && { status: report.status }),
    ...(report.request_id !== undefined && { request_id: report.request_id }),
  };
}

/** The outcome of {@link writeAhead}: the claim on the event's copy, or why there is none. */
export type WriteAhead = { claim: SpoolClaim; problem?: undefined } | { claim?: undefined; problem: string };

/**
 * Writes the event to the spool before it is sent (see writeAheadEntry). If the spool cannot be written, warns
 * and returns the problem: the event is then sent without a copy rather than not at all.
 *
 * @example
 * const { claim, problem } = await writeAhead({ directory, baseUrl }, event, output.warn);
 */
export async function writeAhead(
  spool: { directory: string; baseUrl: string },
  event: AlertEvent,
  warn: (message: string) => void,
): Promise<WriteAhead> {
  try {
    return { claim: await writeAheadEntry(spool.directory, { event, base_url: spool.baseUrl }, { warn }) };
  } catch (error) {
    const problem = reportError(error).message;
    warn(
      `could not write the event to the spool ${spool.directory} before sending (${problem}); sending without a copy`,
    );
    return { problem };
  }
}

/**
 * Settles a write-ahead claim after a failed attempt: a retryable failure (or a stop signal) puts it back in
 * the spool for `flush`, with its reason (exit 3); any other failure was reported to the caller, so the copy
 * is deleted. Returns the spool name when the event stays spooled, else undefined.
 *
 * @example
 * const spooled = await settleFailure(claim, report, output.warn);
 */
export async function settleFailure(
  claim: SpoolClaim,
  report: ErrorReport,
  warn: (message: string) => void,
): Promise<string | undefined> {
  if (report.retryable) {
    try {
      await claim.release(spoolReason(report));
    } catch (error) {
      // Still on disk, claimed under this pid: the next flush recovers it once this process is gone.
      warn(
        `could not put ${claim.name} back in the spool (${reportError(error).message}); the next flush recovers it`,
      );
    }
    return claim.name;
  }
  await claim.complete().catch(() => undefined);
  return undefined;
}

/**
 * Deletes a delivered event's write-ahead copy; if that fails, warns that the next flush will send it again
 * (Flashduty folds the repeat into the same alert by its alert_key).
 */
export async function settleDelivered(claim: SpoolClaim | undefined, warn: (message: string) => void) {
  if (claim === undefined) return;
  try {
    await claim.complete();
  } catch (error) {
    warn(
      `delivered, but could not delete its spool copy ${claim.name} (${reportError(error).message}); a flush may send it again`,
    );
  }
}

/**
 * Whether the spool holds an earlier event of `alertKey`. If the spool cannot be read, says so and answers
 * no: the event is then sent (and spooled if that fails) rather than not handled at all.
 */
async function spoolHolds(directory: string, alertKey: string, warn: (message: string) => void) {
  try {
    return (await pendingAlertKeys(directory)).has(alertKey);
  } catch (error) {
    warn(`could not read the spool ${directory} (${reportError(error).message}); sending anyway`);
    return false;
  }
}

/**
 * Prepares an event exactly as the SDK would send it. Without a key (a dry run on a machine that has none)
 * the SDK instance cannot resolve its target, so the event is prepared without identity labels instead.
 *
 * @example
 * const payload = await preparedPayload(flashCall, { title_rule: "t", event_status: "Info" }, console.warn);
 */
export async function preparedPayload(
  flashCall: FlashCall,
  event: FlashCallEvent,
  warn: (message: string) => void,
) {
  try {
    return flashCall.prepare(event);
  } catch (error) {
    if ((error as { code?: unknown })?.code !== "ConfigError") throw error;
    const { prepareEvent } = await import("flash-call");
    const prepared = prepareEvent(event);
    // The instance logs truncations itself; this path bypasses it, so say what it would have said.
    for (const cut of prepared.truncations) {
      warn(`${cut.path} was ${cut.from} characters; truncated to ${cut.to} as Flashduty would`);
    }
    return prepared;
  }
}

/**
 * Sends one event and reports it: the result on stdout (`alert_key`, `request_id`; JSON with `--json`), an
 * error on stderr (code, message, `request_id`, hint). Validation happens first, so an invalid event sends
 * nothing (exit 2). With a spool, the event is written to it before the first attempt (write-ahead) and
 * deleted once delivered: a retryable failure or a stop signal leaves it there for `flush` (exit 3), any other
 * failure deletes it (exit 1), and a crash at any instant leaves it delivered or spooled. An event whose
 * alert_key already has an entry in the spool is spooled behind it without being sent (exit 3). Without a
 * spool, a stop signal ends the push with one line saying it was not delivered (exit 1).
 *
 * @example
 * process.exitCode = await deliverOne(flashCall, event, context, { dryRun: false });
 */
export async function deliverOne(
  flashCall: FlashCall,
  event: FlashCallEvent,
  context: CommandContext,
  settings: DeliverySettings,
): Promise<ExitCode> {
  const { output } = context;
  let prepared: Awaited<ReturnType<typeof preparedPayload>>;
  try {
    prepared = settings.dryRun
      ? await preparedPayload(flashCall, event, (message) => output.warn(message))
      : flashCall.prepare(event);
  } catch (error) {
    const report = reportError(error);
    output.error(formatReport(report));
    output.data({ ok: false, error: report });
    return INPUT_ERROR_CODES.has(report.code) ? EXIT_CODES.invalid : EXIT_CODES.failed;
  }
  if (settings.dryRun) {
    output.print(output.json ? JSON.stringify(prepared.event) : JSON.stringify(prepared.event, null, 2));
    return EXIT_CODES.delivered;
  }
  const warn = (message: string) => output.warn(message);
  const stop = context.stop;
  const alertKey = prepared.event.alert_key;
  const spool = settings.spool;
  // Checked before this event is written ahead, so that its own copy never counts as an earlier one.
  if (spool && alertKey !== undefined && (await spoolHolds(spool.directory, alertKey, warn))) {
    const report = queuedBehindReport(alertKey);
    const lines = formatReport(report);
    try {
      const name = await writeSpoolEntry(
        spool.directory,
        { event: prepared.event, base_url: spool.baseUrl, reason: spoolReason(report) },
        { warn },
      );
      return spooled(context, lines, report, name, spool.directory);
    } catch (spoolError) {
      lines.push(`and could not spool it: ${reportError(spoolError).message}`);
      output.error(lines);
      output.data({ ok: false, error: report });
      return EXIT_CODES.failed;
    }
  }
  const { claim, problem } = spool ? await writeAhead(spool, prepared.event, warn) : {};
  let report: ErrorReport;
  try {
    const result = await flashCall.push(prepared.event, {
      ...(spool !== undefined && { baseUrl: spool.baseUrl }),
      ...(stop !== undefined && { signal: stop }),
    });
    await settleDelivered(claim, warn);
    output.result(`delivered alert_key=${result.data.alert_key} request_id=${result.request_id}`);
    output.data({ ok: true, alert_key: result.data.alert_key, request_id: result.request_id });
    return EXIT_CODES.delivered;
  } catch (error) {
    const signal = stopReason(stop);
    report = signal === undefined ? reportError(error) : stoppedReport(signal);
  }
  if (claim !== undefined) {
    const name = await settleFailure(claim, report, warn);
    if (name !== undefined)
      return spooled(context, formatReport(report), report, name, spool?.directory ?? "");
  }
  const unspooled = problem === undefined ? "" : `and could not spool it: ${problem}`;
  if (report.code === "Stopped") {
    // One line: the caller must know this event is lost unless it sends it again.
    const why = spool === undefined ? "(no --spool, so it was not kept)" : unspooled;
    output.error([`${report.message} ${why}`]);
    output.data({ ok: false, error: report });
    return EXIT_CODES.failed;
  }
  const lines = formatReport(report);
  if (report.retryable && unspooled !== "") lines.push(unspooled);
  output.error(lines);
  output.data({ ok: false, error: report });
  return INPUT_ERROR_CODES.has(report.code) ? EXIT_CODES.invalid : EXIT_CODES.failed;
}

function spooled(
  context: CommandContext,
  lines: string[],
  report: ErrorReport,
  name: string,
  directory: string,
): ExitCode {
  lines.push(`spooled as ${name} in ${directory}; run: flash-call flush --spool <dir>`);
  context.output.error(lines);
  context.output.data({ ok: false, spooled: name, error: report });
  return EXIT_CODES.spooled;
}
