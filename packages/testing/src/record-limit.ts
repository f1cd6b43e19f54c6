/**
 * The most records of each kind the mock keeps by default: requests, events, change events, alerts, changes, each
 * alert's and each change's events, and the inspector's entries. A long-running `flash-call mock` or a soak test
 * pushing millions of events keeps the latest ones and forgets older ones, oldest first, instead of growing until
 * the process runs out of memory.
 *
 * @example createMockFlashduty({ maxRecords: DEFAULT_MAX_RECORDS * 10 })
 */
export const DEFAULT_MAX_RECORDS = 10_000;

/**
 * The `maxRecords` option as the mock uses it: {@link DEFAULT_MAX_RECORDS} when absent, else a positive integer.
 * @throws RangeError for anything else, as the rate limits' options do
 */
export function maxRecordsOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RECORDS;
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`maxRecords must be a positive integer, got ${value}`);
  }
  return value;
}

/** Forgets the oldest items of `list` (oldest first) beyond the latest `limit`. */
export function keepLatest<T>(list: T[], limit: number): void {
  while (list.length > limit) list.shift();
}

/**
 * Makes `key` the newest entry of `records` (an entry still being written to is not forgotten before one that is
 * not), then forgets the oldest entries beyond the latest `limit`. A `Map` iterates in insertion order.
 */
export function touchAndKeepLatest<Key, Value>(records: Map<Key, Value>, key: Key, limit: number): void {
  const value = records.get(key);
  if (value !== undefined) {
    records.delete(key);
    records.set(key, value);
  }
  for (const oldest of records.keys()) {
    if (records.size <= limit) break;
    records.delete(oldest);
  }
}
