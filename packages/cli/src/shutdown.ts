/** The signals that ask `flash-call` to stop: `timeout`, systemd and OCP send SIGTERM, a terminal SIGINT or SIGHUP. */
export const STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The process-like object {@link listenForShutdown} listens on (`process`, or a stand-in in tests). */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  exit(code: number): never;
  stderr: { write(text: string): unknown };
}

/**
 * How long after the first stop signal another one is taken as the same stop: `timeout` (without --foreground)
 * signals flash-call and then its whole process group, and a terminal's Ctrl-C reaches every process of the
 * foreground group (flash-call and an `npm run` around it, which passes it on), so one stop often arrives twice.
 */
export const REPEATED_SIGNAL_WINDOW_MS = 1000;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into an AbortSignal whose `reason` is the signal's name. The command passes
 * it to every push, so a stop aborts what is in flight; it then makes sure the spool holds what was not
 * delivered (write-ahead) and exits 3, or 1 without a spool. A stop signal more than
 * {@link REPEATED_SIGNAL_WINDOW_MS} after the first exits at once (1): someone insists, the write-ahead copies are
 * already on disk, and the next flush recovers them. One within that window is the same stop delivered twice.
 *
 * @param now the clock the window is measured on @default performance.now
 * @example
 * const stop = listenForShutdown(process);
 * await flashCall.push(event, { signal: stop });
 */
export function listenForShutdown(
  source: SignalSource,
  now: () => number = () => performance.now(),
): AbortSignal {
  const controller = new AbortController();
  let firstAt = 0;
  for (const name of STOP_SIGNALS) {
    source.on(name, () => {
      if (!controller.signal.aborted) {
        firstAt = now();
        controller.abort(name);
        return;
      }
      if (now() - firstAt <= REPEATED_SIGNAL_WINDOW_MS) return;
      source.stderr.write(`flash-call: stopped again by ${name}; exiting now without waiting\n`);
      source.exit(1);
    });
  }
  return controller.signal;
}

/**
 * The name of the signal that stopped the command, or undefined when it was not stopped.
 *
 * @example
 * stopReason(stop); // "SIGTERM"
 */
export function stopReason(stop: AbortSignal | undefined): string | undefined {
  if (stop?.aborted !== true) return undefined;
  return typeof stop.reason === "string" ? stop.reason : "a stop signal";
}

/**
 * `work`, unless the stop signal comes first: then it rejects with an error coded `Stopped` saying that
 * nothing was sent (exit 1), so a command waiting on input that never ends (stdin held open) still stops.
 *
 * @example
 * const text = await unlessStopped(readInput("-", stdin), stop, "reading the input");
 */
export function unlessStopped<T>(work: Promise<T>, stop: AbortSignal | undefined, doing: string): Promise<T> {
  if (stop === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onStop = () =>
      reject({
        code: "Stopped",
        retryable: false,
        message: `not delivered: stopped by ${stopReason(stop)} while ${doing}; nothing was sent`,
      });
    if (stop.aborted) return onStop();
    stop.addEventListener("abort", onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener("abort", onStop));
  });
}
