import { PUSH_PATH, type PushSuccess } from "@flash-call/core";
import { CLIENT_ERROR_CODES, createRetryPolicy, FlashdutyError } from "@flash-call/errors";
import { type ChangeMethods, createChangeMethods } from "./change-handle.js";
import { checkCallOptions, checkOptions } from "./check-options.js";
import { clearTextWarning } from "./clear-text-warning.js";
import { type DeliverySettings, deliver } from "./deliver.js";
import { DeliveryQueue, type FlushResult } from "./delivery-queue.js";
import { deliveryRequest } from "./delivery-request.js";
import type { FlashCallEvent, PreparedEvent } from "./event.js";
import { watchExit } from "./exit-warning.js";
import { followCallSignal, settled } from "./follow-signal.js";
import { createLog } from "./log.js";
import type { CallOptions, FlashCallOptions } from "./options.js";
import { definedFields } from "./own-fields.js";
import { prepareEvent } from "./prepare-event.js";
import { RateLimiter } from "./rate-limiter.js";
import { recoveryEvent } from "./recovery-event.js";
import { preparationWarnings } from "./secret-fields.js";
import { createTargetResolver, type Target } from "./target.js";
import { telemetrySource } from "./telemetry-loader.js";

/** Flashduty's answer to an accepted push, as it sends it. */
export type PushResult = PushSuccess;

/** An open alert returned by `fire`; `resolve()` closes it with its title and labels remembered. */
export interface AlertHandle {
  alert_key: string;
  request_id: string;
  /** Sends the recovery (`Ok`) of this alert; `extra` fields override the remembered ones. */
  resolve(extra?: Partial<FlashCallEvent>, options?: CallOptions): Promise<PushResult>;
}

/** An SDK instance: its own key, base URL, retry and pacing settings, queue and hooks; and its change methods. */
export interface FlashCall extends ChangeMethods {
  /** Validates and sends one event, retrying what can succeed later. */
  push(event: FlashCallEvent, options?: CallOptions): Promise<PushResult>;
  /** Sends the recovery (`Ok`) of the alert `alert_key`. */
  resolve(alert_key: string, event?: Partial<FlashCallEvent>, options?: CallOptions): Promise<PushResult>;
  /** Pushes an event and returns a handle that can resolve the alert it opened. */
  fire(event: FlashCallEvent, options?: CallOptions): Promise<AlertHandle>;
  /**
   * Queues an event for bulk delivery; resolves when it is delivered, rejects with its typed error (at once with
   * `FlashdutyAbortError` if its signal aborts while it waits). Await `close()` before the process exits.
   */
  enqueue(event: FlashCallEvent, options?: CallOptions): Promise<PushResult>;
  /**
   * Resolves when everything enqueued before the call has been delivered or has failed, with how many of those
   * were delivered and how many failed. Events enqueued meanwhile are not waited for.
   */
  flush(): Promise<FlushResult>;
  /** Refuses new work, then drains the queue: resolves with the counts of everything still pending. */
  close(): Promise<FlushResult>;
  /** Returns exactly what would be sent for `event` (labels merged, values truncated), or throws the validation error. */
  prepare(event: FlashCallEvent, options?: CallOptions): PreparedEvent;
}

const TITLES_REMEMBERED = 1000;

/**
 * Creates an SDK instance, for services that need several keys, base URLs or settings side by side.
 *
 * @example
 * ```ts
 * const flashduty = createFlashCall({ pushUrl: process.env.FLASHDUTY_PUSH_URL });
 * const alert = await flashduty.fire({ title_rule: "Queue backlog over 10k", event_status: "Warning" });
 * // … later
 * await alert.resolve();
 * ```
 */
export function createFlashCall(given: FlashCallOptions = {}): FlashCall {
  // Read once: a getter or a later change of the caller's object cannot change what was checked.
  const options = checkOptions(given);
  const log = createLog(options.logger ?? globalThis.console, options.logLevel ?? "warn");
  const resolveTarget = createTargetResolver(options, clearTextWarning(log));
  const settings: DeliverySettings = {
    hooks: options,
    log,
    limiter:
      options.rateLimit === false
        ? undefined
        : (options.rateLimit?.pacer ?? new RateLimiter(options.rateLimit)),
    telemetry: telemetrySource(options.telemetry),
    retryPolicy: createRetryPolicy(options),
    fetch: options.fetch,
    stuckHooks: new Set(),
  };
  const logger = options.logger ?? globalThis.console;
  // Bypasses logLevel: events about to be lost are worth one line even from a quiet instance.
  const reportExit = () => {
    const line = `[flash-call] exiting with ${queue.size} enqueued event(s) not delivered yet: await close() before exit`;
    if (typeof logger?.error === "function") logger.error(line);
    else globalThis.console?.error?.(line);
  };
  const queue = new DeliveryQueue<PushResult>(options.maxQueue ?? 10_000, options.concurrency ?? 16, (busy) =>
    watchExit(reportExit, busy),
  );
  // Recent titles by alert_key, so `resolve(alert_key)` can send the alert's own title back.
  const titles = new Map<string, string>();
  let closed = false;

  const prepareFor = (event: FlashCallEvent, target: Target): PreparedEvent => {
    const prepared = prepareEvent(event, { baseLabels: target.baseLabels, strict: options.strict === true });
    for (const line of preparationWarnings(prepared)) log("warn", line);
    return prepared;
  };

  const assertOpen = () => {
    if (closed) {
      throw new FlashdutyError("this flash-call instance is closed: create a new one to send more", {
        code: CLIENT_ERROR_CODES.clientClosed,
      });
    }
  };

  /**
   * One call's options read once, its signal made safe to read (see followCallSignal), its destination, and the
   * event validated for it. `unfollow`, when there is one, must run once the push settles.
   */
  const start = (event: FlashCallEvent, given: CallOptions | undefined) => {
    assertOpen();
    const call = checkCallOptions(given);
    const unfollow = followCallSignal(call);
    try {
      const target = resolveTarget(call);
      return { prepared: prepareFor(event, target), target, call, unfollow };
    } catch (error) {
      unfollow?.();
      throw error;
    }
  };

  const send = async (prepared: PreparedEvent, target: Target, call: CallOptions): Promise<PushResult> => {
    const result = await deliver<PushResult>(
      settings,
      deliveryRequest(prepared, PUSH_PATH, target, call, options, resolveTarget),
    );
    remember(result.data.alert_key, prepared.event.title_rule, prepared.event.event_status);
    return result;
  };

  // Its own function, so that a queued event's closure holds only what its delivery needs (not the caller's event).
  // The destination is resolved again when the event's turn comes (from what is kept, unless setKey or the
  // environment changed): a key rotated while it waited is the one it is sent with. If none resolves any more (the
  // key was cleared), the one it was queued for is still tried.
  const sender = (prepared: PreparedEvent, target: Target, call: CallOptions) => () => {
    let current = target;
    try {
      current = resolveTarget(call);
    } catch {}
    return send(prepared, current, call);
  };

  const remember = (alert_key: string, title: string, status: string) => {
    titles.delete(alert_key);
    if (status === "Ok") return;
    titles.set(alert_key, title);
    if (titles.size > TITLES_REMEMBERED) titles.delete(titles.keys().next().value as string);
  };

  // Not async: an async function returning send's promise would add two promise turns to every push.
  const push: FlashCall["push"] = (event, given) => {
    let started: ReturnType<typeof start>;
    try {
      started = start(event, given);
    } catch (error) {
      return Promise.reject(error);
    }
    return settled(send(started.prepared, started.target, started.call), started.unfollow);
  };

  const instance: FlashCall = {
    push,
    resolve: async (alert_key, event, call) => {
      const title = titles.get(alert_key);
      return push(recoveryEvent(alert_key, event, title === undefined ? {} : { title_rule: title }), call);
    },
    async fire(event, call) {
      const { prepared, target, call: checked, unfollow } = start(event, call);
      const result = await settled(send(prepared, target, checked), unfollow);
      const alert_key = result.data.alert_key;
      // What was sent, not the caller's event read again: its getters may answer differently now, and its labels
      // may have been changed since; the recovery carries the title, labels and description the alert was opened with.
      const remembered = definedFields(prepared.event, ["title_rule", "labels", "description"]);
      return {
        alert_key,
        request_id: result.request_id,
        // Only the destination is reused: the fire() call's signal or timeout belonged to that call.
        // Async: fields that cannot be used (a getter that throws, another status) reject, never throw.
        resolve: async (extra, resolveCall) =>
          push(
            recoveryEvent(alert_key, extra, remembered),
            resolveCall ?? definedFields(checked, ["integrationKey", "pushUrl", "baseUrl"]),
          ),
      };
    },
    enqueue(event, call) {
      // Not async: a queued event holds no promise of its own besides the queue's (see DeliveryQueue).
      try {
        // The validated alert_key orders the queue: the event's own getter is not read twice.
        const { prepared, target, call: checked, unfollow } = start(event, call);
        return settled(
          queue.add(prepared.event.alert_key, sender(prepared, target, checked), checked.signal),
          unfollow,
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    flush: () => queue.flush(),
    async close() {
      closed = true;
      return queue.flush();
    },
    prepare: (event, call) => prepareFor(event, resolveTarget(checkCallOptions(call))),
    ...createChangeMethods({ options, settings, log, assertOpen }),
  };
  return instance;
}
