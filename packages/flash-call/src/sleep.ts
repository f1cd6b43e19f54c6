/** The longest delay setTimeout honours (~24.8 days); it turns anything longer into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as `signal` aborts.
 * The timer is cleared on abort, so a cancelled wait never keeps a process alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
