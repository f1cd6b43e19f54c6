import type { AlertEvent, ChangeEvent } from "@flash-call/core";
import { CHANGE_LIMITS, LIMITS } from "@flash-call/core/constants";
import { redact } from "@flash-call/errors";
import type { PushEndpoint } from "@flash-call/keys";

/** The on-disk format marker of a spool file; bumped if the layout ever changes. */
export const SPOOL_FORMAT = "flash-call-spool/1";

/** The code points a prepared event's bounded description and labels hold at most, by the spec's limits. */
const describedCharacters = (
  limits: Record<"description" | "labels_max" | "label_key" | "label_value", number>,
) => limits.description + limits.labels_max * (limits.label_key + limits.label_value);

/**
 * The most bytes a spool file may hold to be read; a larger one is set aside unread. Entries hold prepared
 * events, which Flashduty's limits bound: the longest text an alert or a change keeps, at 6 bytes a code point
 * (JSON writes a control character as `\u001f`), is about 650 KiB. Sixteen times that (about 10 MiB) leaves room
 * for what the spec bounds only per item (images) or not at all (a change's `title`, `link` and `change_key`),
 * and for the entry's own fields. flash-call writes no larger entry (spool-write refuses it, and the event is sent
 * without a copy), so a larger file is planted or damaged, and reading it whole could exhaust the memory of every
 * later flush, so that the events behind it would never go.
 */
export const MAX_SPOOL_ENTRY_BYTES =
  16 *
  6 *
  Math.max(
    LIMITS.title_rule + LIMITS.alert_key + describedCharacters(LIMITS),
    describedCharacters(CHANGE_LIMITS),
  );

/** Why an event was spooled or set aside: an error's code and (redacted) message, for people and tools. */
export interface SpoolReason {
  code: string;
  message: string;
  status?: number;
  request_id?: string;
}

/**
 * The event of a spool entry and the integration it is for: an alert event (`endpoint` `"alert"`, or absent in
 * entries written before change events could be spooled) or a change event (`"change"`), each sent by `flush`
 * to the destination its own configuration names for that endpoint.
 */
export type SpooledEvent =
  | { endpoint?: "alert" | undefined; event: AlertEvent }
  | { endpoint: "change"; event: ChangeEvent };

/**
 * One spooled event. The integration key is never stored: `flush` takes it from the environment or flags.
 * `base_url` records where the event was going (origin and path prefix of the push URL, without its query);
 * `flush` sends only events whose `base_url` is the one its own configuration names (see destinationMismatch).
 */
export type SpoolEntry = SpooledEvent & {
  format: typeof SPOOL_FORMAT;
  created_at: string;
  base_url?: string;
  /** Why it was spooled (error code and message), for people reading the directory. */
  reason?: SpoolReason;
};

/** What a caller gives to write an entry: the rest is filled in when it is written. */
export type NewSpoolEntry = SpooledEvent & Pick<SpoolEntry, "base_url" | "reason">;

/**
 * The endpoint an entry is for; an entry without the field was written for an alert.
 *
 * @example
 * entryEndpoint({ event: { title_rule: "t", event_status: "Info" } }); // "alert"
 */
export function entryEndpoint(spooled: Pick<SpooledEvent, "endpoint">): PushEndpoint {
  return spooled.endpoint ?? "alert";
}

/**
 * The key that orders an entry among its kind: an alert's `alert_key` (none: not ordered), a change's
 * `change_key`.
 *
 * @example
 * orderKey({ endpoint: "change", event: { title: "t", change_status: "Done", change_key: "deploy-42" } }); // "deploy-42"
 */
export function orderKey(spooled: SpooledEvent): string | undefined {
  return spooled.endpoint === "change" ? spooled.event.change_key : spooled.event.alert_key;
}

/**
 * A reason as it may be written to disk: every string masked of keys (a message may quote a URL or a header).
 *
 * @example
 * redactedReason({ code: "NetworkError", message: "fetch failed" }); // the same, with any key masked
 */
export function redactedReason(reason: SpoolReason): SpoolReason {
  return {
    code: redact(reason.code),
    message: redact(reason.message),
    ...(reason.status !== undefined && { status: reason.status }),
    ...(reason.request_id !== undefined && { request_id: redact(reason.request_id) }),
  };
}

/**
 * The spool refused a file or a directory it must not follow or trust (a symbolic link). Code `SpoolRefused`,
 * never retryable: a person has to look at it.
 *
 * @example
 * throw new SpoolRefusedError("spool directory /var/spool/fc is a symbolic link; refusing to follow it");
 */
export class SpoolRefusedError extends Error {
  readonly code = "SpoolRefused";
  readonly retryable = false;
}

/**
 * Whether a Node error has the given `code` (`ENOENT`, `ELOOP` …).
 *
 * @example
 * if (hasCode(error, "ENOENT")) return [];
 */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
