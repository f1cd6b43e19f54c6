import type { ChangePushSuccess, ChangeStatus } from "@flash-call/core";
import { CHANGE_PUSH_PATH } from "@flash-call/core";
import type { FlashCallChange, PreparedChange } from "./change-event.js";
import { createChangeTargetResolver } from "./change-target.js";
import { checkCallOptions } from "./check-options.js";
import { type DeliverySettings, deliver } from "./deliver.js";
import { deliveryRequest } from "./delivery-request.js";
import { followCallSignal, settled } from "./follow-signal.js";
import type { Log } from "./log.js";
import type { CallOptions, FlashCallOptions } from "./options.js";
import { definedFields, ownFields } from "./own-fields.js";
import { prepareChange } from "./prepare-change.js";
import { preparationWarnings } from "./secret-fields.js";

/** Flashduty's answer to an accepted change push: `{ request_id }` (any `data` is undocumented). */
export type ChangeResult = ChangePushSuccess;

/** The fields a handle's later events may override: everything but the change's key and status. */
export type ChangeExtra = Partial<Omit<FlashCallChange, "change_key" | "change_status">>;

/**
 * A change started by `startChange`: later events of the same `change_key` with the title, link and labels
 * remembered, as `fire()` → `resolve()` does for alerts.
 */
export interface ChangeHandle {
  change_key: string;
  /** The request id of the first event. */
  request_id: string;
  /** Sends another event of this change with `status`; `extra` fields override the remembered ones. */
  update(status: ChangeStatus, extra?: ChangeExtra, options?: CallOptions): Promise<ChangeResult>;
  /** Sends `Done`. */
  done(extra?: ChangeExtra, options?: CallOptions): Promise<ChangeResult>;
  /** Sends `Canceled` (the change was cancelled or rolled back). */
  cancel(extra?: ChangeExtra, options?: CallOptions): Promise<ChangeResult>;
}

/** The change methods of an instance. */
export interface ChangeMethods {
  /**
   * Validates and sends one change event to the change integration (its own key: `changeIntegrationKey`,
   * `changePushUrl` or their environment variables), with the instance's retries, pacing, hooks and logging.
   */
  change(event: FlashCallChange, options?: CallOptions): Promise<ChangeResult>;
  /** Sends a change event and returns a handle that sends its later statuses (`update`, `done`, `cancel`). */
  startChange(event: FlashCallChange, options?: CallOptions): Promise<ChangeHandle>;
  /** Returns exactly what would be sent for a change (labels merged, values truncated), or throws the validation error. */
  prepareChange(event: FlashCallChange, options?: CallOptions): PreparedChange;
}

/** What an instance shares with its change methods. */
export interface ChangeContext {
  options: FlashCallOptions;
  settings: DeliverySettings;
  log: Log;
  /** Throws when the instance is closed: a closed instance sends nothing. */
  assertOpen: () => void;
}

/**
 * The change methods of one instance, delivering through the same `deliver` as alerts (retries, pacing per key,
 * hooks, logging, typed errors) to the change endpoint.
 *
 * @example
 * ```ts
 * const changes = createChangeMethods({ options, settings, log, assertOpen });
 * await changes.change({ title: "Deploy v2", change_status: "Done", change_key: "deploy-42" });
 * ```
 */
export function createChangeMethods(context: ChangeContext): ChangeMethods {
  const { options, settings, log } = context;
  const resolveTarget = createChangeTargetResolver(options);

  const prepareFor = (event: FlashCallChange): PreparedChange => {
    const prepared = prepareChange(event, {
      baseLabels: { ...options.labels },
      strict: options.strict === true,
    });
    for (const line of preparationWarnings(prepared)) log("warn", line);
    return prepared;
  };

  /** Sends one change, returning Flashduty's answer and the event exactly as sent. */
  const send = async (event: FlashCallChange, given: CallOptions | undefined) => {
    context.assertOpen();
    const call = checkCallOptions(given);
    const unfollow = followCallSignal(call);
    let sending: Promise<ChangeResult>;
    let prepared: PreparedChange;
    try {
      const target = resolveTarget(call);
      prepared = prepareFor(event);
      sending = deliver<ChangeResult>(
        settings,
        deliveryRequest(prepared, CHANGE_PUSH_PATH, target, call, options, resolveTarget),
      );
    } catch (error) {
      unfollow?.();
      throw error;
    }
    return { result: await settled(sending, unfollow), sent: prepared.event };
  };
  const change: ChangeMethods["change"] = async (event, call) => (await send(event, call)).result;

  return {
    change,
    async startChange(event, call) {
      const { result, sent } = await send(event, call);
      // What was sent is remembered (a getter of the caller's object is not read again), but not its time.
      const { event_time: _time, ...remembered } = sent;
      // Only the destination is reused: the first call's signal or timeout belonged to that call.
      const destination = definedFields(call, ["integrationKey", "pushUrl", "baseUrl"]);
      // Async: fields that cannot be used (not an object, a getter that throws) reject, never throw.
      const update: ChangeHandle["update"] = async (status, extra, updateCall) =>
        change(followUp(remembered, status, extra), updateCall ?? destination);
      return {
        change_key: remembered.change_key,
        request_id: result.request_id,
        update,
        done: (extra, updateCall) => update("Done", extra, updateCall),
        cancel: (extra, updateCall) => update("Canceled", extra, updateCall),
      };
    },
    prepareChange: (event, call) => {
      resolveTarget(checkCallOptions(call));
      return prepareFor(event);
    },
  };
}

/** A later event of a started change: the remembered fields, `extra` over them, then the key and new status. */
function followUp(
  remembered: FlashCallChange,
  status: ChangeStatus,
  extra: ChangeExtra | undefined,
): FlashCallChange {
  return {
    ...remembered,
    ...ownFields(extra, "the change's own fields", "change event"),
    change_key: remembered.change_key,
    change_status: status,
  };
}
