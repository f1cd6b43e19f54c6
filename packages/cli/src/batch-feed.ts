import { setMaxListeners } from "node:events";
import type { AlertEvent } from "@flash-call/core";
import type { FlashCall } from "flash-call";
import type { BatchResult } from "./batch-result.js";
import { formatReport } from "./error-report.js";
import { EXIT_CODES, INPUT_ERROR_CODES } from "./exit-codes.js";
import { flushHint } from "./flush-hint.js";
import { describePositions } from "./input-positions.js";
import { feedKeyed } from "./keyed-feed.js";
import type { Output } from "./output.js";
import { failureLines, type SpoolTarget, sendOrSpool } from "./send-or-spool.js";
import { beforeImmediateExit, type ImmediateExitAccount } from "./shutdown.js";
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
 * returns them in input order. A second stop signal exits at once (see listenForShutdown): every event not yet
 * handed over, and every one being written ahead, has no copy on disk then, so the exit names exactly those
 * events (their lines or indexes) and exits 1; when every event is delivered or in the spool it exits 3.
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
  const forget = beforeImmediateExit(stop, () =>
    accountForUnsafe(ready, unsafe, delivered, spool?.directory),
  );

  const outcomes = await feedKeyed(
    ready,
    ({ event }) => event.alert_key,
    FEED_WINDOW,
    async ({ location, event }, index): Promise<{ result: BatchResult; lines: string[] }> => {
      const delivery = await sendOrSpool(
        { event },
        {
          send: (ready) => flashCall.enqueue(ready, callOptions),
          spool,
          waitsBehind: (alertKey) => spooledKeys.has(alertKey) || pending?.has(alertKey) === true,
          stop,
          warn,
          onCopied: () => unsafe.delete(index),
        },
      );
      // A failure deletes the event's copy, if it had one: it is not safe.
      if (delivery.outcome === "failed") unsafe.add(index);
      else unsafe.delete(index);
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
  return results;
}

/**
 * What an immediate exit in the middle of a batch leaves: the events neither delivered nor known to be spooled,
 * by their positions in the input (exit 1), and how many wait in the spool (exit 3 when that is all of the rest).
 */
function accountForUnsafe(
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
