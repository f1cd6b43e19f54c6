import { argumentError } from "@flash-call/errors";

/** The longest delay setTimeout honours (~24.8 days); it turns anything longer into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as `signal` aborts. The timer is cleared on
 * abort, so a cancelled wait never keeps a process alive; a wait longer than setTimeout's ~24.8 days is taken in
 * steps. Exported for `Pacer` implementations (such as `@flash-call/redis`), whose `acquire` must wait the
 * way the SDK's own waits do: abortable, rejecting with the signal's reason. Default: no `signal` (the wait cannot
 * be cancelled); `ms` of 0 or less resolves at once. An `ms` that is not a number (or NaN), or a `signal` without
 * `addEventListener`/`removeEventListener`, rejects with a `FlashdutyConfigError` naming it.
 *
 * @example
 * ```ts
 * import { sleep } from "flash-call";
 *
 * await sleep(250, AbortSignal.timeout(1000));
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  // typeof tests only: every retry and every wait for a pacing slot sleeps.
  if (typeof ms !== "number" || Number.isNaN(ms))
    return Promise.reject(argumentError("sleep()'s ms", "a number", ms));
  if (
    signal !== undefined &&
    (typeof signal !== "object" ||
      signal === null ||
      typeof signal.addEventListener !== "function" ||
      typeof signal.removeEventListener !== "function")
  ) {
    return Promise.reject(argumentError("sleep()'s signal", "an AbortSignal", signal));
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  // setTimeout turns anything over 2^31 − 1 ms (~24.8 days) into 1 ms: wait in steps instead.
  if (ms > MAX_TIMER_MS) return sleep(MAX_TIMER_MS, signal).then(() => sleep(ms - MAX_TIMER_MS, signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
