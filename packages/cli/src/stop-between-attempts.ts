import type { FlashdutyError } from "@flash-call/errors";
import type { Hooks } from "flash-call";

/** The SDK hooks through which a stop reaches one push between its attempts only, and what became of it. */
export interface AttemptGate {
  /** Given to the SDK instance the push is sent with, before it is sent; they do nothing outside open…release. */
  readonly hooks: Required<Pick<Hooks, "onRequest" | "onRetry">>;
  /**
   * Starts guarding the push about to be sent (once per gate) and returns the signal to send it with: aborted,
   * with the stop's reason, only between two of its attempts. `onWait` is told when the stop comes while an
   * attempt is in flight, or about to be: the push then settles with that attempt.
   */
  open(stop: AbortSignal | undefined, onWait?: () => void): AbortSignal;
  /**
   * The failure of the push's last attempt when the stop kept it from retrying; undefined when the stop did
   * not end the push.
   */
  readonly cutAfter: FlashdutyError | undefined;
  /** Ends the guard once the push has settled: the stop no longer touches its signal, the hooks do nothing. */
  release(): void;
}

/**
 * A gate for one push that a stop signal must not cut mid-request: an attempt aborted in flight may still
 * have reached Flashduty, which could then apply it after whatever is sent next. So the attempt in flight when
 * the stop comes is let finish (its own timeout, `--timeout`, bounds it) and no retry follows it: the push
 * settles within one attempt of the stop. A stop while the push waits to retry ends it at once; a stop before
 * its first attempt lets that attempt go.
 *
 * @example
 * const gate = stopBetweenAttempts();
 * const flashCall = createFlashCall({ ...gate.hooks });
 * const signal = gate.open(stop, () => console.error("waiting for Processing's answer"));
 * try { await flashCall.change(processing, { signal }); } finally { gate.release(); }
 */
export function stopBetweenAttempts(): AttemptGate {
  const controller = new AbortController();
  let guarded: AbortSignal | undefined;
  let armed = false;
  let retrying = false;
  let lastFailure: FlashdutyError | undefined;
  let cutAfter: FlashdutyError | undefined;
  let onStop = () => {};
  const cut = () => {
    if (!armed || controller.signal.aborted) return;
    cutAfter = lastFailure;
    controller.abort(guarded?.reason);
  };
  return {
    hooks: {
      onRequest: () => {
        retrying = false;
      },
      onRetry: (info) => {
        if (!armed) return;
        retrying = true;
        lastFailure = info.error;
        // The SDK waits for the retry on the gate's signal: aborted now, it makes no further attempt.
        if (guarded?.aborted) cut();
      },
    },
    open(stop, onWait = () => {}) {
      armed = true;
      guarded = stop;
      onStop = () => {
        if (!armed) return;
        if (retrying) cut();
        else onWait();
      };
      if (stop?.aborted) onStop();
      else stop?.addEventListener("abort", onStop, { once: true });
      return controller.signal;
    },
    get cutAfter() {
      return cutAfter;
    },
    release() {
      armed = false;
      guarded?.removeEventListener("abort", onStop);
    },
  };
}
