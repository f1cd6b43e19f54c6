import type { FlashdutyError } from "@flash-call/errors";
import type { Truncation } from "./event.js";

/**
 * What every hook is told about one attempt. It never holds the integration key: `integration` is a masked form
 * such as `abcd****`, safe to log or export as a metric label.
 */
export interface AttemptInfo {
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** The event's alert_key, when it has one (Flashduty generates it otherwise). */
  alert_key: string | undefined;
  /** The event's status: an alert's `event_status`, or a change's `change_status`. */
  event_status: string;
  /** The change's change_key, on a change event's attempts only. */
  change_key?: string;
  /** The masked integration key. */
  integration: string;
  /** The API origin (and path prefix) the request goes to. */
  baseUrl: string;
  /** The request path, without the query string that carries the key. */
  path: string;
  /** Values the SDK shortened the way Flashduty would. */
  truncations: readonly Truncation[];
}

/** Told after each attempt, successful or not. */
export interface ResponseInfo extends AttemptInfo {
  ok: boolean;
  /** The HTTP status, when the server answered. */
  status: number | undefined;
  /** Milliseconds from sending to the end of the response body. */
  durationMs: number;
  requestId: string | undefined;
  /** The error code (`RequestTooFrequently`, `NetworkError`, `HTTP_502`…) of a failed attempt. */
  code: string | undefined;
}

/** Told before waiting to retry. */
export interface RetryInfo extends ResponseInfo {
  /** How long the SDK waits before the next attempt. */
  delayMs: number;
  error: FlashdutyError;
}

/** Told when a push finally fails (after its retries). */
export interface ErrorInfo extends ResponseInfo {
  error: FlashdutyError;
}

/**
 * Observability hooks; none can break a push (a throwing hook is logged). Each may be async: its promise is awaited
 * at most for the attempt's `timeoutMs` (or until the call's signal aborts), so one that never settles cannot hold
 * a push; the first such hook is logged once. `onRequest` runs before the attempt takes its rate-pacing slot.
 *
 * @example
 * ```ts
 * createFlashCall({ onResponse: async ({ status, durationMs }) => metrics.observe({ status, durationMs }) });
 * ```
 */
export interface Hooks {
  /** Before each attempt, before it waits for its rate-pacing slot. @default none */
  onRequest?: (info: AttemptInfo) => void | Promise<void>;
  /** After each attempt. @default none */
  onResponse?: (info: ResponseInfo) => void | Promise<void>;
  /** Before each wait for a retry. @default none */
  onRetry?: (info: RetryInfo) => void | Promise<void>;
  /** When a push fails for good. @default none */
  onError?: (info: ErrorInfo) => void | Promise<void>;
}

/** A console-compatible logger; any method may be missing. */
export interface Logger {
  debug?: (message: string, ...details: unknown[]) => void;
  info?: (message: string, ...details: unknown[]) => void;
  warn?: (message: string, ...details: unknown[]) => void;
  error?: (message: string, ...details: unknown[]) => void;
}

/** The least severe level that is logged. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
