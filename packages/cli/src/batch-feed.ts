import { setMaxListeners } from "node:events";
import type { AlertEvent } from "@flash-call/core";
import type { FlashCall } from "flash-call";
import type { BatchResult } from "./batch-result.js";
import { notSentReport, spoolReason } from "./delivery-reports.js";
import type { ErrorReport } from "./error-report.js";
import { formatReport } from "./error-report.js";
import { EXIT_CODES, INPUT_ERROR_CODES } from "./exit-codes.js";
import { flushHint } from "./flush-hint.js";
import { describePositions } from "./input-positions.js";
import { feedKeyed } from "./keyed-feed.js";
import type { Output } from "./output.js";
import { failureLines, type SpoolTarget, sendOrSpool } from "./send-or-spool.js";
import { beforeImmediateExit, type ImmediateExitAccount, stopReason } from "./shutdown.js";
import { pendingKeysOrWarn } from "./spool-contents.js";

/**
 * How many events of a batch are handed to the SDK's queue at once: well under its `maxQueue` (10,000 by
 * default), so a batch of any size never meets `QueueFull`, and far more than its concurrency, so the queue
 * never runs dry.
 */
const FEED_WINDOW = 1_000;

/** A valid, prepared event of a batch and where it was in the input (`line 3`, `index 2`). */
export interface ReadyEvent {
  location: string;
  event: AlertEvent;
}

/**
 * Sends a batch's valid events through the SDK's paced queue ({@link FEED_WINDOW} at a time, events of one
 * alert one after another), each by sendOrSpool: with a spool, an event whose alert has an earlier event
 * waiting there — from an earlier run or spooled by this one — is spooled behind it. Prints each outcome and
 * returns them in input order. With a spool, a stop signal writes every event not handed over yet straight to the
 * spool (synchronously, syncing the directory once: a fraction of a second for thousands, where sending each
 * through its own durable write would take seconds a SIGKILL may not wait for). A second stop signal exits at
 * once (see listenForShutdown): every event being written ahead then has no copy yet, so the exit writes those
 * too and exits 3; whatever it could not write, or every undelivered event without a spool, it names (by line or
 * index) and exits 1.
 *
 * @example
 * const results = await feedBatch(ready, flashCall, { spool, stop, output });
 */
export async function feedBatch(
  ready: readonly ReadyEvent[],
  flashCall: FlashCall,
  settings: { spool: SpoolTarget | undefined; stop: AbortSignal | undefined; output: Output },
): Promise<BatchResult[]> {
  const { spool, stop, output } = settings;
  const spooledKeys = new Set<string>();
  const pending =
    spool === undefined ? undefined : await pendingKeysOrWarn(spool.directory, (line) => output.warn(line));
  // Each event would repeat the same spool warning (an unwritable directory): say it once.
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    output.warn(message);
  };
  // Every event in flight listens on the stop signal: a window of them is no leak, so no warning for it.
  if (stop !== undefined) setMaxListeners(0, stop);
  const callOptions = stop === undefined ? undefined : { signal: stop };

  // Which events an immediate exit would lose: neither delivered nor with a copy in the spool.
  const unsafe = new Set(ready.keys());
  let delivered = 0;
  // Which events the SDK was given (or spooled behind others): the rest wait only in this process's memory.
  const handed = new Set<number>();
  // Events written to the spool when the stop came, before they were handed over: their spool names.
  const spooledAtStop = new Map<number, string>();
  const stoppedReport = () => notSentReport(stopReason(stop) ?? "a stop signal", false);
  // Said once, as soon as it is true after a stop: until then a SIGKILL would lose events.
  let announcedSafe = false;
  const announceIfSafe = () => {
    if (announcedSafe || spool === undefined || stop?.aborted !== true || unsafe.size > 0) return;
    announcedSafe = true;
    output.warn(`stopping: every event not delivered is in the spool ${spool.directory}`);
  };
  // Loaded now: at an immediate exit an import could never finish.
  const writer = spool === undefined || stop === undefined ? undefined : await import("./spool-write.js");
  const spoolNotHanded = () => {
    if (spool === undefined || writer === undefined) return;
    // An alert with an event handed over and not on disk yet (its write-ahead still running) keeps its later
    // events on the usual path: written now, they would be named before it, and a flush sends by name.
    const busy = new Set<string>();
    for (const index of unsafe) {
      const key = (ready[index] as ReadyEvent).event.alert_key;
      if (handed.has(index) && key !== undefined) busy.add(key);
    }
    const waiting = [...unsafe].filter((index) => {
      const key = (ready[index] as ReadyEvent).event.alert_key;
      return !handed.has(index) && (key === undefined || !busy.has(key));
    });
    if (waiting.length === 0) return;
    for (const [index, name] of spoolUnsafe(ready, waiting, spool, writer, stoppedReport())) {
      unsafe.delete(index);
      spooledAtStop.set(index, name);
    }
    output.warn(
      `stopping: ${spooledAtStop.size} of ${waiting.length} events not sent yet written to the spool ${spool.directory}`,
    );
    announceIfSafe();
  };
  if (stop?.aborted) spoolNotHanded();
  else stop?.addEventListener("abort", spoolNotHanded, { once: true });
  const forget = beforeImmediateExit(stop, (signal) => {
    if (spool !== undefined && writer !== undefined) {
      const report = notSentReport(signal, true);
      for (const [index] of spoolUnsafe(ready, [...unsafe], spool, writer, report)) unsafe.delete(index);
    }
    return accountForUnsafe(ready, unsafe, delivered, spool?.directory);
  });

  const outcomes = await feedKeyed(
    ready,
    ({ event }) => event.alert_key,
    FEED_WINDOW,
    async ({ location, event }, index): Promise<{ result: BatchResult; lines: string[] }> => {
      handed.add(index);
      const early = spooledAtStop.get(index);
      if (early !== undefined) {
        if (event.alert_key !== undefined) spooledKeys.add(event.alert_key);
        const report = stoppedReport();
        return {
          result: { location, ok: false, outcome: "spooled", error: report, spooled: early },
          lines: [...formatReport(report, location), `spooled as ${early}`],
        };
      }
      const delivery = await sendOrSpool(
        { event },
        {
          send: (ready) => flashCall.enqueue(ready, callOptions),
          spool,
          waitsBehind: (alertKey) => spooledKeys.has(alertKey) || pending?.has(alertKey) === true,
          stop,
          warn,
          onCopied: () => {
            unsafe.delete(index);
            announceIfSafe();
          },
        },
      );
      // A failure deletes the event's copy, if it had one: it is not safe.
      if (delivery.outcome === "failed") unsafe.add(index);
      else unsafe.delete(index);
      announceIfSafe();
      switch (delivery.outcome) {
        case "delivered": {
          delivered += 1;
          const { request_id, data } = delivery.result;
          const { alert_key } = data;
          return {
            result: { location, ok: true, alert_key, request_id },
            lines: [`delivered ${location} alert_key=${alert_key} request_id=${request_id}`],
          };
        }
        case "spooled":
          if (event.alert_key !== undefined) spooledKeys.add(event.alert_key);
          return {
            result: {
              location,
              ok: false,
              outcome: "spooled",
              error: delivery.report,
              spooled: delivery.name,
            },
            lines: [...formatReport(delivery.report, location), `spooled as ${delivery.name}`],
          };
        case "failed": {
          const outcome = INPUT_ERROR_CODES.has(delivery.report.code) ? "invalid" : "failed";
          return {
            result: { location, ok: false, outcome, error: delivery.report },
            lines: failureLines(delivery, location),
          };
        }
      }
    },
  );
  const results: BatchResult[] = [];
  for (const { result, lines } of outcomes) {
    if (result.ok) output.result(lines.join("\n"));
    else output.error(lines);
    results.push(result);
  }
  forget();
  stop?.removeEventListener("abort", spoolNotHanded);
  return results;
}

/**
 * Writes the events at `indexes` to the spool, in input order (so an alert's events stay in order), each with
 * `report` as its reason, and returns the spool name of each one written. An event being written ahead at that
 * moment may then be in the spool twice; a flush sends it twice, and Flashduty folds the repeat into its alert.
 */
export function spoolUnsafe(
  ready: readonly ReadyEvent[],
  indexes: readonly number[],
  spool: SpoolTarget,
  writer: typeof import("./spool-write.js"),
  report: ErrorReport,
): Map<number, string> {
  const ordered = [...indexes].sort((left, right) => left - right);
  const reason = spoolReason(report);
  // What cannot be written (a full disk, an event too large for a spool file) stays unsafe, and the account names
  // it.
  const names = writer.writeSpoolEntriesSync(
    spool.directory,
    ordered.map((index) => ({
      endpoint: "alert",
      event: (ready[index] as ReadyEvent).event,
      base_url: spool.baseUrl,
      reason,
    })),
    undefined,
    spool.naming,
  );
  const written = new Map<number, string>();
  for (const [position, name] of names.entries()) {
    if (name !== undefined) written.set(ordered[position] as number, name);
  }
  return written;
}

/**
 * What an immediate exit in the middle of a batch leaves: the events neither delivered nor known to be spooled,
 * by their positions in the input (exit 1), and how many wait in the spool (exit 3 when that is all of the rest).
 */
export function accountForUnsafe(
  ready: readonly ReadyEvent[],
  unsafe: ReadonlySet<number>,
  delivered: number,
  directory: string | undefined,
): ImmediateExitAccount {
  const lines: string[] = [];
  const total = ready.length;
  const onDisk = total - unsafe.size - delivered;
  if (unsafe.size > 0) {
    const locations = [...unsafe].map((index) => (ready[index] as ReadyEvent).location);
    lines.push(
      // An event whose copy was being written may have reached the disk just now: a flush and a resend then
      // both send it, and Flashduty folds the repeat into its alert.
      `${unsafe.size} of ${total} events not delivered and not known to be in the spool; send them again: ${describePositions(locations)}`,
    );
  }
  if (onDisk > 0 && directory !== undefined) {
    lines.push(`${onDisk} of ${total} events are in the spool ${directory}; ${flushHint(directory)}`);
  }
  const code = unsafe.size > 0 ? EXIT_CODES.failed : onDisk > 0 ? EXIT_CODES.spooled : EXIT_CODES.delivered;
  return { lines, code };
}
