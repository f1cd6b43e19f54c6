import { inspect } from "node:util";
import type { FlashCallOptions } from "flash-call";

/** Everything a secret scan captured, and how to capture more. */
export interface ScanCapture {
  /** Every captured value, as text. */
  written: string[];
  /** Records a value: a string as is, anything else inspected deeply; an Error also by its stack, JSON and cause. */
  capture: (value: unknown) => void;
  /** SDK options that send every hook payload and log line (down to debug) to `capture`, with quick retries. */
  options: FlashCallOptions;
}

/**
 * A capture for secret scans: the SDK's hooks and logger write into it, and the scan searches `written`.
 *
 * @example
 * const scan = scanCapture();
 * const flashduty = createFlashCall({ pushUrl, ...scan.options });
 */
export function scanCapture(): ScanCapture {
  const written: string[] = [];
  const capture = (value: unknown) => {
    written.push(typeof value === "string" ? value : inspect(value, { depth: 8, showHidden: true }));
    if (value instanceof Error)
      written.push(String(value.stack), JSON.stringify(value), inspect(value.cause));
  };
  const options: FlashCallOptions = {
    maxRetries: 1,
    timeoutMs: 300,
    backoff: { baseMs: 1, maxMs: 2 },
    logLevel: "debug",
    logger: { debug: capture, info: capture, warn: capture, error: capture },
    onRequest: capture,
    onResponse: capture,
    onRetry: capture,
    onError: capture,
  };
  return { written, capture, options };
}
