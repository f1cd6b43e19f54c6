import type { FlashCall, FlashCallEvent } from "flash-call";
import type { CommandContext } from "./connection.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { pendingAlertKeys, writeSpoolEntry } from "./spool.js";

/** How {@link deliverOne} treats the event beyond sending it. */
export interface DeliverySettings {
  /** Print the prepared payload instead of sending. */
  dryRun: boolean;
  /** Where to keep the event if it cannot be delivered now, and the base URL to record with it. */
  spool?: { directory: string; baseUrl: string | undefined } | undefined;
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
 * error on stderr (code, message, `request_id`, hint). A retryable failure with a spool configured is
 * written to the spool (exit 3). So is, without being sent, an event whose alert_key already has an entry in
 * the spool: it waits behind it (exit 3). Validation happens first, so an invalid event sends nothing (exit 2).
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
  const alertKey = prepared.event.alert_key;
  let report: ErrorReport;
  if (
    settings.spool &&
    alertKey !== undefined &&
    (await spoolHolds(settings.spool.directory, alertKey, (message) => output.warn(message)))
  ) {
    report = queuedBehindReport(alertKey);
  } else {
    try {
      const result = await flashCall.push(prepared.event);
      output.result(`delivered alert_key=${result.data.alert_key} request_id=${result.request_id}`);
      output.data({ ok: true, alert_key: result.data.alert_key, request_id: result.request_id });
      return EXIT_CODES.delivered;
    } catch (error) {
      report = reportError(error);
    }
  }
  const lines = formatReport(report);
  if (report.retryable && settings.spool) {
    try {
      const name = await writeSpoolEntry(settings.spool.directory, {
        event: prepared.event,
        ...(settings.spool.baseUrl !== undefined && { base_url: settings.spool.baseUrl }),
        reason: { code: report.code, message: report.message },
      });
      lines.push(`spooled as ${name} in ${settings.spool.directory}; run: flash-call flush --spool <dir>`);
      output.error(lines);
      output.data({ ok: false, spooled: name, error: report });
      return EXIT_CODES.spooled;
    } catch (spoolError) {
      lines.push(`and could not spool it: ${reportError(spoolError).message}`);
    }
  }
  output.error(lines);
  output.data({ ok: false, error: report });
  return INPUT_ERROR_CODES.has(report.code) ? EXIT_CODES.invalid : EXIT_CODES.failed;
}
