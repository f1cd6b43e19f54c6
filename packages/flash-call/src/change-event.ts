import type { ChangeEvent, ChangeStatus } from "@flash-call/core";
import type { LabelValue, Truncation } from "./event.js";

/**
 * A change event as the SDK takes it: the spec's `ChangeEvent`, except that `event_time` may also be a `Date`
 * and label values may be numbers, booleans or `undefined`.
 *
 * @example
 * ```ts
 * const change: FlashCallChange = {
 *   title: "Deploy billing v2.4.1",
 *   change_status: "Processing",
 *   change_key: "deploy-billing-1234",
 *   link: "https://ci.example.com/pipelines/1234",
 *   labels: { service: "billing", env: "prod" },
 * };
 * ```
 */
export interface FlashCallChange {
  title: string;
  change_status: ChangeStatus;
  /** The change's id (a ticket number, a pipeline id): events with the same key merge into one change. */
  change_key: string;
  /** Unix seconds (never milliseconds) or a `Date`; may lie in the future with `Ready`. @default the time Flashduty receives it */
  event_time?: number | Date;
  description?: string;
  /** The change ticket's URL. */
  link?: string;
  labels?: Record<string, LabelValue>;
}

/**
 * What `prepareChange` returns: the exact change payload that would be sent, and what was shortened or masked to
 * make it.
 */
export interface PreparedChange {
  event: ChangeEvent;
  truncations: Truncation[];
  /** The fields that held an integration key (or a piece of one), sent with it masked: e.g. `["description"]`. */
  masked: string[];
}
