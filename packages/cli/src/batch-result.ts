import type { ErrorReport } from "./error-report.js";
import { EXIT_CODES, type ExitCode, worstExitCode } from "./exit-codes.js";

/** What happened to one event of a batch (the `results` of `--json` output). */
export type BatchResult =
  | { location: string; ok: true; alert_key: string; request_id: string }
  | {
      location: string;
      ok: false;
      outcome: "invalid" | "failed" | "spooled";
      error: ErrorReport;
      spooled?: string;
    };

/** How many events of a batch ended each way. */
export interface BatchSummary {
  delivered: number;
  invalid: number;
  failed: number;
  spooled: number;
}

/**
 * Counts a batch's outcomes.
 *
 * @example
 * summarize(results); // { delivered: 9, invalid: 1, failed: 0, spooled: 0 }
 */
export function summarize(results: readonly BatchResult[]): BatchSummary {
  const summary: BatchSummary = { delivered: 0, invalid: 0, failed: 0, spooled: 0 };
  for (const result of results) summary[result.ok ? "delivered" : result.outcome] += 1;
  return summary;
}

/**
 * A batch's exit code: the most serious outcome (see {@link worstExitCode}).
 *
 * @example
 * batchExitCode(results); // 2 when an event was invalid and none failed
 */
export function batchExitCode(results: readonly BatchResult[]): ExitCode {
  return worstExitCode(
    results.map((result) => {
      if (result.ok) return EXIT_CODES.delivered;
      if (result.outcome === "invalid") return EXIT_CODES.invalid;
      return result.outcome === "spooled" ? EXIT_CODES.spooled : EXIT_CODES.failed;
    }),
  );
}
