import type { AlertEvent } from "@flash-call/core";
import type { RenderedTitle } from "./title-rule.js";

/** An event the mock accepted, as Flashduty stores it (after truncation and discards), with receipt details. */
export type ReceivedEvent = AlertEvent & {
  /** The event's `alert_key`: the one sent, or the one the mock generated. */
  alert_key: string;
  /** The `request_id` of the answer. */
  request_id: string;
  /** When the mock received it (ms since the epoch, by the mock's clock). */
  received_at: number;
  /** The integration it was pushed to, as `maskKey` from @flash-call/errors prints it: no character of the key. */
  integration: string;
  /** The title as Flashduty shows it, made from `title_rule` (see `renderTitle`); marked when the mock cannot. */
  rendered_title: RenderedTitle;
  /** What the mock changed as Flashduty would (truncations, discarded images), in order; empty when nothing. */
  adjustments: EventAdjustment[];
};

/**
 * One change Flashduty makes to an event instead of refusing it.
 * @example { path: "title_rule", action: "truncated", before: 600, after: 512 }
 */
export interface EventAdjustment {
  /** Where, e.g. `title_rule`, `labels.host`, `images[1]`. */
  path: string;
  action: "truncated" | "discarded";
  /** For a truncation: the length sent and the length kept, in Unicode code points. */
  before?: number;
  after?: number;
}

/** One request the mock answered (any method, path, outcome); never holds the integration key. */
export interface RecordedRequest {
  method: string;
  /**
   * The URL path, without the query (which holds the key); a key the mock knows of is masked in it, and in a
   * path it does not serve every segment but the words of Flashduty's routes is (it may be a key).
   */
  path: string;
  /** The HTTP status answered; 0 when the connection was reset. */
  status: number;
  /** The error code answered, if any. */
  code?: string;
  /** The error message answered, if any (what it quotes of the request is masked as `path` is). */
  message?: string;
  /** The `alert_key` answered to an accepted push. */
  alert_key?: string;
  /** For a 429 from the mock's own limits: the window that was full and its limit. */
  rate_limit?: { window: "second" | "minute"; limit: number };
  /** The answer's `request_id`; empty for a body the server refused (413, 503) before the mock read it. */
  request_id: string;
  received_at: number;
  /** The injected fault's kind, when a fault answered this request. */
  fault?: string;
}
