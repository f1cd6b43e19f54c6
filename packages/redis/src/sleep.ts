/**
 * Waits `ms` milliseconds (a pacing wait: never more than a minute and a lease), or rejects with the signal's
 * reason as soon as `signal` aborts; the timer is cleared on abort, so a cancelled wait keeps no process alive.
 *
 * @example
 * ```ts
 * await sleep(250, request.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
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
