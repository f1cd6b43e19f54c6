import type { ChangeEvent, ChangeStatus } from "@flash-call/core";
import { CHANGE_EVENT_SCHEMA } from "@flash-call/core/schema";
import { maskTexts } from "./masked-texts.js";
import type { EventAdjustment } from "./received-event.js";
import { forgetFromGroup, type RecordLimits, RecordLog, recordLimitsOf } from "./record-limit.js";
import { jsonResponse } from "./responses.js";
import { type SchemaIssue, validateAgainstSchema } from "./schema-validation.js";

/** A change event the mock accepted, as Flashduty stores it (after truncation), with receipt details. */
export type ReceivedChange = ChangeEvent & {
  /** The `request_id` of the answer. */
  request_id: string;
  /** When the mock received it (ms since the epoch, by the mock's clock). */
  received_at: number;
  /** The change integration it was pushed to, as `maskKey` prints it: no character of the key. */
  integration: string;
};

/**
 * An accepted change with what the mock truncated as Flashduty would (`description`, label values), in order, for
 * the inspector. The stored {@link ReceivedChange} has no such field: tests compare it with what they sent.
 */
export type AcceptedChange = ReceivedChange & { adjustments: EventAdjustment[] };

/** One change, as the mock tracks it from the events pushed for its `change_key`. */
export interface ChangeRecord {
  change_key: string;
  /** The latest event's status (any subset of statuses, in any order, is allowed). */
  status: ChangeStatus;
  /** The latest event's title. */
  title: string;
  /** Every event received for this change, oldest first. */
  events: ReceivedChange[];
}

/**
 * Called with each change event the mock accepts (after truncation), synchronously; a throwing listener is ignored.
 * @example server.onChange((change) => console.log(change.change_key, change.change_status))
 */
export type ChangeListener = (change: ReceivedChange) => void;

/** What the mock records of the change endpoint. */
export interface ChangeStore {
  /** Accepted change events, oldest first. */
  readonly events: ReceivedChange[];
  /** Changes by `change_key`, each with its events in order and its last status. */
  readonly changes: Map<string, ChangeRecord>;
  /**
   * Validates a parsed body by the spec's `ChangeEvent` schema; an accepted one is recorded and told to the
   * listeners. Returns the issues of a refused one (the caller answers `InvalidParameter`), or the answer with
   * the change as stored and what was truncated. `weight` (the body's length as sent) counts against
   * `maxRecordBytes`. `mask` is applied to every text of an accepted change before it is kept (see `maskTexts`):
   * the mock masks the keys it knows of.
   */
  accept(
    body: unknown,
    receipt: Omit<ReceivedChange, keyof ChangeEvent>,
    weight: number,
    mask?: (text: string) => string,
  ): SchemaIssue[] | { response: Response; change: AcceptedChange };
  /** Calls `listener` with each accepted change event; returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Forgets every change. */
  clear(): void;
}

/**
 * The mock's change endpoint state: validation from the spec (what Flashduty truncates is truncated), a record per
 * `change_key`, and listeners. It keeps the latest change events within `limits`; a change whose events are all
 * forgotten is forgotten.
 *
 * @param limits how many change events are kept @default the defaults of `maxRecords` and `maxRecordBytes`
 * @example
 * ```ts
 * const store = createChangeStore();
 * const outcome = store.accept(JSON.parse(body), { request_id, received_at, integration: maskKey(key) }, body.length);
 * ```
 */
export function createChangeStore(limits: RecordLimits = recordLimitsOf({})): ChangeStore {
  const events: ReceivedChange[] = [];
  const changes = new Map<string, ChangeRecord>();
  const log = new RecordLog(events, limits, (change) => forgetFromGroup(changes, change.change_key, change));
  const listeners = new Set<ChangeListener>();
  return {
    events,
    changes,
    accept(body, receipt, weight, mask) {
      const checked = validateAgainstSchema(body, CHANGE_EVENT_SCHEMA);
      if (checked.issues.length > 0) return checked.issues;
      const valid = checked.value as ChangeEvent;
      const event = mask === undefined ? valid : maskTexts(valid, mask);
      // Flashduty trims nothing it does not document; a blank title or key is no title or key.
      const blank = (["title", "change_key"] as const).filter((field) => event[field].trim() === "");
      if (blank.length > 0) return blank.map((path) => ({ path, message: "must not be empty" }));
      const received: ReceivedChange = { ...event, ...receipt };
      const record = changes.get(event.change_key);
      if (record === undefined) {
        changes.set(event.change_key, {
          change_key: event.change_key,
          status: event.change_status,
          title: event.title,
          events: [received],
        });
      } else {
        record.status = event.change_status;
        record.title = event.title;
        record.events.push(received);
      }
      log.add(received, weight);
      for (const listener of listeners) {
        try {
          listener(received);
        } catch {
          // A failing listener is the test's problem, not a reason to answer differently.
        }
      }
      // Flashduty documents `{ request_id }` and no `data`: clients must not need one.
      return {
        response: jsonResponse({ request_id: receipt.request_id }, 200),
        change: { ...received, adjustments: checked.adjustments },
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clear() {
      log.clear();
      changes.clear();
    },
  };
}
