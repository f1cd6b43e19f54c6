import { redact } from "@flash-call/keys";
import type { Logger, LogLevel } from "./hooks.js";

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/**
 * A leveled logging function whose every line passes through `redact`, so no registered key can be logged. A message
 * may be a function, built only when its level is logged; `logs(level)` says whether it is, so that a line written on
 * every push costs not even that function when it is not.
 */
export interface Log {
  (level: Exclude<LogLevel, "silent">, message: string | (() => string)): void;
  /** Whether a message of `level` would be written. */
  logs(level: Exclude<LogLevel, "silent">): boolean;
}

/**
 * The instance's log: `logger`'s method of each level at or above `level`, each line prefixed and redacted.
 *
 * @param level the lowest level written @default none: the caller passes the instance's `logLevel` ("warn" if unset)
 * @example
 * ```ts
 * const log = createLog(console, "info");
 * log("warn", "retrying"); // console.warn("[flash-call] retrying")
 * if (log.logs("debug")) log("debug", costlyLine());
 * ```
 */
export function createLog(logger: Logger | undefined, level: LogLevel): Log {
  const threshold = LEVELS.indexOf(level);
  const logs = (messageLevel: Exclude<LogLevel, "silent">) =>
    Boolean(logger) && LEVELS.indexOf(messageLevel) >= threshold;
  const log = (messageLevel: Exclude<LogLevel, "silent">, message: string | (() => string)) => {
    if (!logs(messageLevel)) return;
    try {
      logger?.[messageLevel]?.(`[flash-call] ${redact(typeof message === "string" ? message : message())}`);
    } catch {
      // A broken logger must not break delivery.
    }
  };
  return Object.assign(log, { logs });
}
