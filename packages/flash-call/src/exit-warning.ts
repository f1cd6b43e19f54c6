/** What a Node-like runtime offers to hear of the process exiting; absent on Workers and in browsers. */
interface ExitEmitter {
  on(event: "exit", listener: () => void): unknown;
  removeListener?(event: "exit", listener: () => void): unknown;
  off?(event: "exit", listener: () => void): unknown;
}

/** Says, at exit, what an instance is about to lose (its pending count only: never an event's content). */
export type ExitReport = () => void;

const pending = new Set<ExitReport>();

const onExit = () => {
  for (const report of pending) {
    try {
      report();
    } catch {
      // One broken logger must not hide the others' lines.
    }
  }
};

const emitter = (): ExitEmitter | undefined => {
  const candidate = (globalThis as { process?: Partial<ExitEmitter> }).process;
  return typeof candidate?.on === "function" ? (candidate as ExitEmitter) : undefined;
};

/**
 * Registers (`busy: true`) or withdraws (`busy: false`) an instance's report for the process's `exit` event. Only
 * one listener is ever added to the process, and only while some instance has work pending, so any number of
 * instances add no listener leak, and an idle process carries none. Where the runtime has no `process.on`
 * (Workers, browsers, Deno without Node compatibility) nothing is registered.
 *
 * @example
 * ```ts
 * const report = () => console.error("[flash-call] exiting with 3 enqueued events not delivered");
 * watchExit(report, true); // the queue holds work
 * watchExit(report, false); // drained
 * ```
 */
export function watchExit(report: ExitReport, busy: boolean): void {
  const process = emitter();
  if (!process) return;
  if (busy) {
    if (pending.size === 0) process.on("exit", onExit);
    pending.add(report);
    return;
  }
  if (!pending.delete(report) || pending.size > 0) return;
  (process.removeListener ?? process.off)?.call(process, "exit", onExit);
}
