import type { AlertEvent } from "@flash-call/core";
import { redact } from "@flash-call/errors";

/** The on-disk format marker of a spool file; bumped if the layout ever changes. */
export const SPOOL_FORMAT = "flash-call-spool/1";

/** Why an event was spooled or set aside: an error's code and (redacted) message, for people and tools. */
export interface SpoolReason {
  code: string;
  message: string;
  status?: number;
  request_id?: string;
}

/**
 * One spooled event. The integration key is never stored: `flush` takes it from the environment or flags.
 * `base_url` records where the event was going (origin and path prefix of the push URL, without its query);
 * `flush` sends only events whose `base_url` is the one its own configuration names (see destinationMismatch).
 */
export interface SpoolEntry {
  format: typeof SPOOL_FORMAT;
  created_at: string;
  base_url?: string;
  event: AlertEvent;
  /** Why it was spooled (error code and message), for people reading the directory. */
  reason?: SpoolReason;
}

/** What a caller gives to write an entry: the rest is filled in when it is written. */
export type NewSpoolEntry = Omit<SpoolEntry, "format" | "created_at">;

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
