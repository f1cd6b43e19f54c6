import { CLIENT_ERROR_CODES } from "@flash-call/errors";
/**
 * The process exit codes of `flash-call`, fixed by the contract.
 *
 * - `delivered` (0): delivered, or nothing to send (an OCP alarm that is Blocked, an empty batch).
 * - `failed` (1): not delivered (API or network error after retries), or an unexpected error.
 * - `invalid` (2): usage or validation error; for a batch, some events were invalid (the valid ones were sent).
 * - `spooled` (3): not delivered now but written to the spool; `flash-call flush` will send it.
 *
 * @example
 * process.exitCode = EXIT_CODES.spooled;
 */
export const EXIT_CODES = { delivered: 0, failed: 1, invalid: 2, spooled: 3 } as const;

/** One of the values of {@link EXIT_CODES}. @example const code: ExitCode = 0; */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * The exit code for a batch whose events ended differently: the most serious outcome wins.
 * Order: failed (lost) › invalid (lost until the input is fixed) › spooled (safe, needs a flush) › delivered.
 *
 * @example
 * worstExitCode([0, 3, 2]); // 2
 */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  const rank: Record<ExitCode, number> = { 0: 0, 3: 1, 2: 2, 1: 3 };
  let worst: ExitCode = EXIT_CODES.delivered;
  for (const code of codes) if (rank[code] > rank[worst]) worst = code;
  return worst;
}

/** Error codes that mean "fix the input or the configuration": exit 2, nothing was sent. */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  "UsageError",
  CLIENT_ERROR_CODES.validation,
  CLIENT_ERROR_CODES.config,
]);

/**
 * The exit code of a failure that was not spooled: 2 when the input or configuration must be fixed, else 1.
 *
 * @example
 * failureExitCode("ConfigError"); // 2
 */
export function failureExitCode(code: string): ExitCode {
  return INPUT_ERROR_CODES.has(code) ? EXIT_CODES.invalid : EXIT_CODES.failed;
}
