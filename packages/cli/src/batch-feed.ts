import { setMaxListeners } from "node:events";
import type { AlertEvent } from "@flash-call/core";
import type { FlashCall } from "flash-call";
import type { BatchResult } from "./batch-result.js";
import { formatReport } from "./error-report.js";
import { INPUT_ERROR_CODES } from "./exit-codes.js";
import { feedKeyed } from "./keyed-feed.js";
import type { Output } from "./output.js";
import { failureLines, type SpoolTarget, sendOrSpool } from "./send-or-spool.js";
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
 * returns them in input order.
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

  const outcomes = await feedKeyed(
    ready,
    ({ event }) => event.alert_key,
    FEED_WINDOW,
    async ({ location, event }): Promise<{ result: BatchResult; lines: string[] }> => {
      const delivery = await sendOrSpool(
        { event },
        {
          send: (ready) => flashCall.enqueue(ready, callOptions),
          spool,
          waitsBehind: (alertKey) => spooledKeys.has(alertKey) || pending?.has(alertKey) === true,
          stop,
          warn,
        },
      );
      switch (delivery.outcome) {
        case "delivered": {
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
  return results;
}
