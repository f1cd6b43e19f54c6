import { redact } from "@flash-call/keys";
import type { Logger, LogLevel } from "./hooks.js";

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/**
 * A leveled logging function whose every line passes through `redact`, so no registered key can be logged. A message
 * may be a function, built only when its level is logged (for lines written on every push).
 */
export type Log = (level: Exclude<LogLevel, "silent">, message: string | (() => string)) => void;

export function createLog(logger: Logger | undefined, level: LogLevel): Log {
  const threshold = LEVELS.indexOf(level);
  return (messageLevel, message) => {
    if (!logger || LEVELS.indexOf(messageLevel) < threshold) return;
    try {
      logger[messageLevel]?.(`[flash-call] ${redact(typeof message === "string" ? message : message())}`);
    } catch {
      // A broken logger must not break delivery.
    }
  };
}
