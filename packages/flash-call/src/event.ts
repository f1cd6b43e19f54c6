import type { AlertEvent, AlertImage, EventStatus } from "@flash-call/core";

/** A label value the SDK accepts: finite numbers and booleans become strings, `undefined` is omitted. */
export type LabelValue = string | number | boolean | undefined;

/**
 * An alert event as the SDK takes it: the spec's `AlertEvent`, except that `event_time` may also be a `Date`
 * and label values may be numbers, booleans or `undefined`.
 *
 * @example
 * ```ts
 * const event: FlashCallEvent = {
 *   title_rule: "CPU above 90% on db-1",
 *   event_status: "Critical",
 *   event_time: new Date(),
 *   labels: { host: "db-1", cpu: 93.5 },
 * };
 * ```
 */
export interface FlashCallEvent {
  title_rule: string;
  event_status: EventStatus;
  alert_key?: string;
  /** Unix seconds (never milliseconds) or a `Date`. @default the time Flashduty receives it */
  event_time?: number | Date;
  description?: string;
  labels?: Record<string, LabelValue>;
  images?: AlertImage[];
}

/** A value the SDK shortened the way Flashduty would. */
export interface Truncation {
  /** Where, e.g. `labels.summary`. */
  path: string;
  /** Length before, in characters. */
  from: number;
  /** Length after (the limit). */
  to: number;
}

/** What `prepare` returns: the exact payload that would be sent, and what was shortened or masked to make it. */
export interface PreparedEvent {
  event: AlertEvent;
  truncations: Truncation[];
  /** The fields that held an integration key (or a piece of one), sent with it masked: e.g. `["description"]`. */
  masked: string[];
}
