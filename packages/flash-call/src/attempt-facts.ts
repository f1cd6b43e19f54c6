import { excerpt } from "@flash-call/errors";

/** What a log line tells of one attempt: its answer's status and `request_id` (when it had them) and its duration. */
export interface AttemptFacts {
  /** The HTTP status answered; `0` or absent when no answer came. */
  status?: number | undefined;
  /** Flashduty's `request_id`, when the answer carried one. */
  requestId?: string | undefined;
  /** How long the attempt took, in ms. */
  durationMs: number;
}

/**
 * The facts of an attempt as a log line shows them, so that a retried or delivered push can be matched to
 * Flashduty's records (its `request_id`) and to a slow network (its duration). The `request_id` comes from the
 * server: it is redacted and cut to an excerpt's length.
 *
 * @example
 * ```ts
 * attemptFacts({ status: 500, requestId: "0f8e…", durationMs: 7.4 }); // "HTTP 500, request_id=0f8e…, 7 ms"
 * ```
 */
export function attemptFacts({ status, requestId, durationMs }: AttemptFacts): string {
  // A status of 0 (no answer) is left out with an absent one.
  const answer = status ? `HTTP ${status}, ` : "";
  const id = requestId === undefined ? "" : `request_id=${excerpt(requestId)}, `;
  return `${answer}${id}${Math.round(durationMs)} ms`;
}
