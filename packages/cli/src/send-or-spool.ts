import { isWorthRetryingLater } from "@flash-call/errors";
import type { PushResult } from "flash-call";
import { queuedBehindReport, spoolReason, stopReport } from "./delivery-reports.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode, failureExitCode } from "./exit-codes.js";
import { flushHint } from "./flush-hint.js";
import type { Output } from "./output.js";
import { stopReason } from "./shutdown.js";
import type { SpoolClaim } from "./spool-claim.js";
import { spoolBase } from "./spool-destination.js";
import { orderKey, type SpooledEvent } from "./spool-entry.js";
import type { SpoolNaming } from "./spool-write.js";

// The spool's writers (node:fs/promises, node:crypto for names) are imported when a spool is given, not by every
// push: most pushes have none.
const spoolWriter = () => import("./spool-write.js");

/** The spool a command keeps events in, and the destination recorded with each. */
export interface SpoolTarget {
  directory: string;
  /** The base URL the event is sent to, recorded so that `flush` sends it there and nowhere else. */
  baseUrl: string;
  /** What this run knows of the spool's names, shared by its writes (see SpoolNaming). */
  naming: SpoolNaming;
}

/**
 * The spool of one run: events are kept in `directory`, recorded as bound for `baseUrl` (normalized as a flush
 * compares it), named by what the run's own writes have learned of the spool.
 *
 * @example
 * const spool = directory === undefined ? undefined : spoolTarget(directory, destination.baseUrl);
 */
export function spoolTarget(directory: string, baseUrl: string): SpoolTarget {
  return { directory, baseUrl: spoolBase(baseUrl) ?? baseUrl, naming: { latest: new Map() } };
}

/** What became of one event; `result` is the answer of `send` (an alert's `PushResult`, a change's). */
export type Delivery<Result = PushResult> =
  | { outcome: "delivered"; result: Result }
  | { outcome: "spooled"; report: ErrorReport; name: string }
  /** `unspooled`: why an event that should have been spooled could not be. */
  | { outcome: "failed"; report: ErrorReport; unspooled?: string };

/** How {@link sendOrSpool} sends one event of type `Event`, answered with `Result`. */
export interface SendOrSpoolOptions<Event, Result> {
  /** Sends the prepared event (the SDK's `push`, `enqueue` or `change`). */
  send: (event: Event) => Promise<Result>;
  /** Where to keep the event until it is delivered; none: sent without a copy. @default none */
  spool?: SpoolTarget | undefined;
  /**
   * Whether the spool holds an earlier event of this alert_key (of this change_key, for a change): asked only
   * with a spool.
   */
  waitsBehind: (key: string) => boolean | Promise<boolean>;
  /** Once aborted, nothing more is sent: the event is kept in the spool. @default never */
  stop?: AbortSignal | undefined;
  /** Where spool problems are said (the event is still sent, or reported). */
  warn: (message: string) => void;
  /**
   * Told the moment the event has a durable copy in the spool (written ahead, or spooled behind an earlier
   * event): from then on an immediate exit cannot lose it. @default nobody
   */
  onCopied?: (() => void) | undefined;
}

/**
 * Whether a failure is worth spooling for a later flush: the retry policy's own judgement
 * (`isWorthRetryingLater`, the rule the SDK's retries follow), that trying again later may succeed (a network
 * error, a timeout, 408, 429, 5xx, an answer cut off before it could be read).
 *
 * @example
 * if (shouldSpool(error)) await claim.release(reason);
 */
export function shouldSpool(error: unknown): boolean {
  return isWorthRetryingLater(error);
}

/**
 * Writes the event to the spool before it is sent (write-ahead). If the spool cannot be written, warns and
 * returns the problem: the event is then sent without a copy rather than not at all.
 */
async function writeAhead(
  spool: SpoolTarget,
  spooled: SpooledEvent,
  warn: (message: string) => void,
): Promise<{ claim?: SpoolClaim; problem?: string }> {
  try {
    return {
      claim: await (await spoolWriter()).writeAheadEntry(
        spool.directory,
        { ...spooled, base_url: spool.baseUrl },
        { warn, naming: spool.naming },
      ),
    };
  } catch (error) {
    const problem = reportError(error).message;
    warn(
      `could not write the event to the spool ${spool.directory} before sending (${problem}); sending without a copy`,
    );
    return { problem };
  }
}

/**
 * Deletes a delivered event's write-ahead copy; if that fails, warns that the next flush will send it again
 * (Flashduty folds the repeat into the same alert by its alert_key).
 */
async function settleDelivered(claim: SpoolClaim | undefined, warn: (message: string) => void) {
  if (claim === undefined) return;
  try {
    await claim.complete();
  } catch (error) {
    warn(
      `delivered, but could not delete its spool copy ${claim.name} (${reportError(error).message}); a flush may send it again`,
    );
  }
}

/** Puts a write-ahead copy back in the spool with its reason; if that fails the next flush recovers it. */
async function keep(claim: SpoolClaim, report: ErrorReport, warn: (message: string) => void) {
  try {
    await claim.release(spoolReason(report));
  } catch (error) {
    // Still on disk, claimed under this pid: the next flush recovers it once this process is gone.
    warn(
      `could not put ${claim.name} back in the spool (${reportError(error).message}); the next flush recovers it`,
    );
  }
}

/**
 * Sends one prepared event, or keeps it in the spool: the one path of `push`, `resolve`, `ocp`, `change`,
 * `deploy` and batches, for alert events and change events alike (`spooled.endpoint`, recorded in the entry).
 * With a spool, an event whose alert (or change) already waits there is spooled behind it unsent
 * (`QueuedBehind`); otherwise the event is written ahead, sent, and its copy deleted once delivered — or kept,
 * with its reason, when the failure is worth retrying later ({@link shouldSpool}) or a stop signal aborted it;
 * any other failure deletes the copy. So a crash at any instant leaves the event delivered or spooled.
 *
 * @example
 * const delivery = await sendOrSpool({ event }, { send: (e) => flashCall.push(e), spool, waitsBehind, warn });
 * const change = await sendOrSpool({ endpoint: "change", event: prepared }, { send: (e) => flashCall.change(e), spool, waitsBehind, warn });
 */
export async function sendOrSpool<Spooled extends SpooledEvent, Result>(
  spooled: Spooled,
  options: SendOrSpoolOptions<Spooled["event"], Result>,
): Promise<Delivery<Result>> {
  const { spool, stop, warn } = options;
  const key = orderKey(spooled);
  // Asked before this event is written ahead, so that its own copy never counts as an earlier one.
  if (spool && key !== undefined && (await options.waitsBehind(key))) {
    const report = queuedBehindReport(key, spooled.endpoint === "change" ? "change_key" : "alert_key");
    try {
      const entry = { ...spooled, base_url: spool.baseUrl, reason: spoolReason(report) };
      const { writeSpoolEntry } = await spoolWriter();
      const name = await writeSpoolEntry(spool.directory, entry, { warn, naming: spool.naming });
      options.onCopied?.();
      return { outcome: "spooled", report, name };
    } catch (spoolError) {
      return { outcome: "failed", report, unspooled: reportError(spoolError).message };
    }
  }
  const { claim, problem } = spool ? await writeAhead(spool, spooled, warn) : {};
  if (claim !== undefined) options.onCopied?.();
  let report: ErrorReport;
  let worthKeeping: boolean;
  try {
    // Once stopped, nothing more is sent: what is left is written to the spool and left there.
    if (stop?.aborted) throw stop.reason;
    const result = await options.send(spooled.event);
    await settleDelivered(claim, warn);
    return { outcome: "delivered", result };
  } catch (error) {
    const signal = stopReason(stop);
    report = signal === undefined ? reportError(error) : stopReport(signal, error, stop?.reason);
    worthKeeping = signal !== undefined || shouldSpool(error);
  }
  if (claim !== undefined && worthKeeping) {
    await keep(claim, report, warn);
    return { outcome: "spooled", report, name: claim.name };
  }
  // Reported to the caller, so the copy goes.
  await claim?.complete().catch(() => undefined);
  return { outcome: "failed", report, ...(worthKeeping && problem !== undefined && { unspooled: problem }) };
}

/**
 * The stderr lines of a failed delivery: the report (prefixed by `subject`, like `line 3`), then why it could
 * not be spooled, if it should have been.
 *
 * @example
 * failureLines({ outcome: "failed", report, unspooled: "disk full" });
 * // ["NetworkError: …", "and could not spool it: disk full"]
 */
export function failureLines(
  delivery: Extract<Delivery<unknown>, { outcome: "failed" }>,
  subject?: string,
): string[] {
  const lines = formatReport(delivery.report, subject);
  if (delivery.unspooled !== undefined) lines.push(`and could not spool it: ${delivery.unspooled}`);
  return lines;
}

/**
 * Reports a single event that was not delivered — spooled (the reason, where it is, and the flush command to
 * paste: exit 3) or failed (the report and why it could not be spooled; a stop signal in one line saying the
 * event is lost unless sent again: exit 1) — on stderr, and as the `--json` document. Returns the exit code.
 *
 * @example
 * if (delivery.outcome !== "delivered") return reportUndelivered(delivery, directory, output);
 */
export function reportUndelivered(
  delivery: Exclude<Delivery<unknown>, { outcome: "delivered" }>,
  directory: string | undefined,
  output: Output,
): ExitCode {
  if (delivery.outcome === "spooled") {
    output.error([
      ...formatReport(delivery.report),
      `spooled as ${delivery.name} in ${directory}; ${flushHint(directory ?? "")}`,
    ]);
    output.data({ ok: false, spooled: delivery.name, error: delivery.report });
    return EXIT_CODES.spooled;
  }
  const { report } = delivery;
  output.data({ ok: false, error: report });
  if (report.code === "Stopped") {
    // One line: the caller must know this event is lost unless it sends it again.
    const why =
      directory === undefined
        ? "(no --spool, so it was not kept)"
        : `and could not spool it: ${delivery.unspooled ?? "unknown"}`;
    output.error([`${report.message} ${why}`]);
    return EXIT_CODES.failed;
  }
  output.error(failureLines(delivery));
  return failureExitCode(report.code);
}
