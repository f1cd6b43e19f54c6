import { EXIT_CODES, type ExitCode, worstExitCode } from "./exit-codes.js";
import { safeLine } from "./output.js";

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
 * {@link REPEATED_SIGNAL_WINDOW_MS} after the first exits at once: someone insists. Only the write-ahead copies
 * already on disk survive that exit, so first every account registered with {@link beforeImmediateExit} runs
 * (synchronously): it says on stderr what is not safe, may save what it can, and picks the exit code (1 when none
 * does). One within that window is the same stop delivered twice.
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
      source.exit(settleBeforeExit(controller.signal, name, source.stderr));
    });
  }
  return controller.signal;
}

/** What a command says, and the exit code it asks for, when a second stop signal makes it exit at once. */
export interface ImmediateExitAccount {
  /** Written to stderr, each prefixed `flash-call: `. */
  lines: readonly string[];
  /** @default 1 */
  code?: ExitCode;
}

/** Runs synchronously just before the immediate exit: nothing asynchronous will ever finish. */
export type ImmediateExitHook = (signal: StopSignal) => ImmediateExitAccount | undefined;

const immediateExitHooks = new WeakMap<AbortSignal, Set<ImmediateExitHook>>();

/**
 * Registers `hook` to run when a second stop signal makes the process exit at once (see listenForShutdown):
 * the command's last chance to name, or save, what it has not delivered. Returns the function that unregisters
 * it. Without a stop signal nothing can stop the command, and nothing is registered.
 *
 * @example
 * const forget = beforeImmediateExit(stop, () => ({ lines: ["line 7 was neither delivered nor spooled"] }));
 * try { await work(); } finally { forget(); }
 */
export function beforeImmediateExit(stop: AbortSignal | undefined, hook: ImmediateExitHook): () => void {
  if (stop === undefined) return () => undefined;
  let hooks = immediateExitHooks.get(stop);
  if (hooks === undefined) {
    hooks = new Set();
    immediateExitHooks.set(stop, hooks);
  }
  const registered = hooks;
  registered.add(hook);
  return () => registered.delete(hook);
}

/** Runs every hook of `stop` and returns the most serious exit code they ask for (1 when none asks). */
function settleBeforeExit(stop: AbortSignal, signal: StopSignal, stderr: SignalSource["stderr"]): ExitCode {
  const codes: ExitCode[] = [];
  for (const hook of immediateExitHooks.get(stop) ?? []) {
    let account: ImmediateExitAccount | undefined;
    try {
      account = hook(signal);
    } catch {
      // One account failing must not keep the others, or the exit, from happening. Its message is not
      // written: it could quote an event.
      account = { lines: ["Unexpected: could not say what this stop leaves undelivered"] };
    }
    // Masked and escaped as every other line: an account may quote a change_key or a title, which are input.
    for (const line of account?.lines ?? []) stderr.write(`flash-call: ${safeLine(line)}\n`);
    codes.push(account?.code ?? EXIT_CODES.failed);
  }
  return codes.length === 0 ? EXIT_CODES.failed : worstExitCode(codes);
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
