import { positiveInteger } from "./positive-integer.js";

/**
 * The most records of each kind the mock keeps by default: requests, events, change events, and the inspector's
 * entries. A long-running `flash-call mock` or a soak test pushing millions of events keeps the latest ones and
 * forgets older ones, oldest first, instead of growing until the process runs out of memory.
 *
 * @example createMockFlashduty({ maxRecords: DEFAULT_MAX_RECORDS * 10 })
 */
export const DEFAULT_MAX_RECORDS = 10_000;

/**
 * The most characters of accepted bodies the mock keeps records of by default (256 Mi), events and change events
 * each: a count alone does not bound memory, as one body may be up to 4 MiB (an event with thousands of images, a
 * change with a long title). Measured as each body's length as sent plus its rendered title.
 *
 * @example createMockFlashduty({ maxRecordBytes: DEFAULT_MAX_RECORD_BYTES * 4 })
 */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** How much of each kind of record the mock keeps: see `maxRecords` and `maxRecordBytes`. */
export interface RecordLimits {
  /** The most records. */
  readonly records: number;
  /** The most weight (characters of bodies) of the records together; the newest one is kept whatever its weight. */
  readonly bytes: number;
}

/**
 * The `maxRecords` and `maxRecordBytes` options as the mock uses them: their defaults when absent, else positive
 * integers.
 * @throws RangeError for anything else, as the rate limits' options do
 */
export function recordLimitsOf(options: { maxRecords?: number; maxRecordBytes?: number }): RecordLimits {
  return {
    records: positiveInteger("maxRecords", options.maxRecords ?? DEFAULT_MAX_RECORDS),
    bytes: positiveInteger("maxRecordBytes", options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES),
  };
}

/**
 * A list the mock records into (it is the array users read, cleared in place), kept within {@link RecordLimits}:
 * adding a record forgets the oldest ones while the list is over either limit, telling `forget` of each.
 *
 * @example
 * ```ts
 * const log = new RecordLog(events, limits, (event) => dropFromItsAlert(event));
 * log.add(received, body.length);
 * ```
 */
export class RecordLog<T extends object> {
  readonly #weights = new WeakMap<T, number>();
  #weight = 0;

  constructor(
    readonly list: T[],
    readonly limits: RecordLimits,
    readonly forget: (forgotten: T) => void = () => {},
  ) {}

  /** Appends `record`, weighing `weight`, then forgets the oldest records beyond the limits. */
  add(record: T, weight: number): void {
    this.list.push(record);
    this.#weights.set(record, weight);
    this.#weight += weight;
    while (
      this.list.length > this.limits.records ||
      (this.#weight > this.limits.bytes && this.list.length > 1)
    ) {
      const oldest = this.list.shift()!;
      this.#weight -= this.#weights.get(oldest) ?? 0;
      this.forget(oldest);
    }
  }

  /** Forgets every record (the list is emptied in place). */
  clear(): void {
    this.list.length = 0;
    this.#weight = 0;
  }
}

/**
 * Forgets `record` from its group (an alert's or a change's `events`, oldest first): a list forgets its oldest
 * record first, so it is the group's first if the group still holds it. A group left without events is forgotten.
 */
export function forgetFromGroup<T>(groups: Map<string, { events: T[] }>, key: string, record: T): void {
  const group = groups.get(key);
  if (group === undefined || group.events[0] !== record) return;
  group.events.shift();
  if (group.events.length === 0) groups.delete(key);
}
