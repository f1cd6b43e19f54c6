import type { AlertEvent } from "@flash-call/core";

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
};

/** One request the mock answered (any method, path, outcome); never holds the integration key. */
export interface RecordedRequest {
  method: string;
  /** The URL path, without the query (which holds the key). */
  path: string;
  /** The HTTP status answered; 0 when the connection was reset. */
  status: number;
  /** The error code answered, if any. */
  code?: string;
  request_id: string;
  received_at: number;
  /** The injected fault's kind, when a fault answered this request. */
  fault?: string;
}
