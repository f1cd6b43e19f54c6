import { FlashdutyAbortError } from "@flash-call/errors";
import type { ErrorReport } from "./error-report.js";
import type { SpoolReason } from "./spool-entry.js";

/**
 * Why an event was spooled without being sent: the spool already holds an earlier event of its alert (or of
 * its change, `field` `"change_key"`), and sending this one now would overtake it (a recovery delivered before
 * its alert, which a later flush would then re-open; a change's Done before its Processing).
 *
 * @example
 * queuedBehindReport("disk-db1").code; // "QueuedBehind"
 */
export function queuedBehindReport(
  key: string,
  field: "alert_key" | "change_key" = "alert_key",
): ErrorReport {
  return {
    code: "QueuedBehind",
    message: `not sent: queued behind an earlier spooled event for ${field} ${key}, so flush delivers them in order`,
    retryable: true,
  };
}

/**
 * Why an event sent was not confirmed when a stop signal aborted it before Flashduty answered: the request may
 * have arrived, or not. Retryable, so it is kept in the spool (a resend with its alert_key updates the same alert).
 *
 * @example
 * stoppedReport("SIGTERM").message; // "not confirmed: stopped by SIGTERM before Flashduty answered; it may have arrived"
 */
export function stoppedReport(signal: string): ErrorReport {
  return {
    code: "Stopped",
    message: `not confirmed: stopped by ${signal} before Flashduty answered; it may have arrived`,
    retryable: true,
  };
}

/**
 * Why an event was not delivered when a stop signal ended its delivery: {@link notSentReport} when nothing of it
 * had been sent (the stop came first, `error` being its reason, or the SDK says so: a `FlashdutyAbortError` not
 * `sent`), else {@link stoppedReport}: it may have arrived.
 *
 * @example
 * report = signal === undefined ? reportError(error) : stopReport(signal, error, stop.reason);
 */
export function stopReport(signal: string, error: unknown, stopReason: unknown): ErrorReport {
  // Only a plain `false` says unsent: an abort error of an older copy of the SDK, without `sent`, may have been.
  const unsent = error === stopReason || (FlashdutyAbortError.isInstance(error) && error.sent === false);
  return unsent ? notSentReport(signal, false) : stoppedReport(signal);
}

/**
 * Why an event was not delivered when a stop signal kept it from being retried: the failure of its last
 * attempt, said not retried. Retryable, so it is kept in the spool.
 *
 * @example
 * notRetriedReport("SIGTERM", { code: "Timeout", message: "no answer within 10000 ms", retryable: true }).message;
 * // "no answer within 10000 ms; not retried: stopped by SIGTERM"
 */
export function notRetriedReport(signal: string, last: ErrorReport): ErrorReport {
  return { ...last, message: `${last.message}; not retried: stopped by ${signal}`, retryable: true };
}

/**
 * Why an event was never sent when a stop signal came first (`again`: the second signal, which exits at once):
 * retryable, so it is kept in the spool. `before` says what it was waiting for.
 *
 * @example
 * notSentReport("SIGTERM", false).message; // "not sent: stopped by SIGTERM before it was sent"
 * notSentReport("SIGINT", true, "the command ended").message; // "not sent: stopped again by SIGINT before the command ended"
 */
export function notSentReport(signal: string, again: boolean, before = "it was sent"): ErrorReport {
  return {
    code: "Stopped",
    message: `not sent: stopped ${again ? "again " : ""}by ${signal} before ${before}`,
    retryable: true,
  };
}

/**
 * The spool reason recorded for a report: its code and message, plus status and request_id when known.
 *
 * @example
 * spoolReason(queuedBehindReport("disk-db1")); // { code: "QueuedBehind", message: "not sent: …" }
 */
export function spoolReason(report: ErrorReport): SpoolReason {
  return {
    code: report.code,
    message: report.message,
    ...(report.status !== undefined && { status: report.status }),
    ...(report.request_id !== undefined && { request_id: report.request_id }),
  };
}
