// An injected clock for one kind of timer: every setTimeout of exactly `delayMs` is held, never fires by itself,
// and fires when the test says so. A test gives the code under test a timeout nothing else uses (987_654 ms) and
// fires it once the moment it wants has come (the attempt is on the wire), so a loaded machine can neither fire it
// early (an answer that came late) nor late (an answer that came first). Every other timer runs as usual.

/** A held timer: the callback that setTimeout was given, waiting for {@link HeldTimers.fireAll}. */
interface Held {
  callback: () => void;
  handle: object;
}

/** What {@link holdTimers} gives the test. */
export interface HeldTimers {
  /** How many held timers are waiting (scheduled, neither fired nor cleared). */
  readonly pending: number;
  /** Fires every waiting timer now, in the order they were set; returns how many fired. */
  fireAll(): number;
  /** Puts the real setTimeout and clearTimeout back; waiting timers are dropped. */
  restore(): void;
}

/**
 * Holds back every `setTimeout(callback, delayMs)` made in this process until {@link HeldTimers.fireAll}.
 *
 * @example
 * ```ts
 * const timers = holdTimers(987_654);
 * const flashduty = createFlashCall({ pushUrl, timeoutMs: 987_654 });
 * // ... once the attempt that should time out is in flight:
 * timers.fireAll();
 * timers.restore();
 * ```
 */
export function holdTimers(delayMs: number): HeldTimers {
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const waiting = new Map<object, Held>();

  const heldSetTimeout = (callback: (...values: unknown[]) => void, delay?: number, ...values: unknown[]) => {
    if (delay !== delayMs) return realSetTimeout(callback, delay, ...values);
    // Shaped like Node's Timeout, for code that calls unref(), ref() or refresh() on it.
    const handle = {
      ref: () => handle,
      unref: () => handle,
      hasRef: () => false,
      refresh: () => handle,
      [Symbol.toPrimitive]: () => -1,
    };
    waiting.set(handle, { handle, callback: () => callback(...values) });
    return handle;
  };
  const heldClearTimeout = (timer?: unknown) => {
    if (typeof timer === "object" && timer !== null && waiting.delete(timer)) return;
    realClearTimeout(timer as Parameters<typeof clearTimeout>[0]);
  };
  globalThis.setTimeout = heldSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = heldClearTimeout as typeof clearTimeout;

  return {
    get pending() {
      return waiting.size;
    },
    fireAll() {
      const due = [...waiting.values()];
      waiting.clear();
      for (const timer of due) timer.callback();
      return due.length;
    },
    restore() {
      waiting.clear();
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    },
  };
}

/** The header a test's mock answer carries to mean "this answer never comes" (see {@link fetchWithNoAnswer}). */
export const NO_ANSWER_HEADER = "x-flash-call-test";

/** A mock fault whose answer {@link fetchWithNoAnswer} (and held-clock-preload.mjs) drops: an attempt that times out. */
export const NO_ANSWER = {
  kind: "status",
  status: 200,
  headers: { [NO_ANSWER_HEADER]: "no-answer" },
} as const;

/**
 * A fetch for the code under test: answers marked {@link NO_ANSWER} never arrive, and the attempt's held timeout
 * fires at once (the attempt times out, as it would against a server that never answers); other answers pass.
 *
 * @example
 * ```ts
 * const flashduty = createFlashCall({ pushUrl, timeoutMs: 987_654, fetch: fetchWithNoAnswer(holdTimers(987_654)) });
 * ```
 */
export function fetchWithNoAnswer(timers: HeldTimers): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.headers.get(NO_ANSWER_HEADER) !== "no-answer") return response;
    await response.body?.cancel();
    const signal = init?.signal;
    return new Promise<Response>((_, reject) => {
      const abort = () =>
        reject(signal?.reason ?? new DOMException("The operation was aborted.", "AbortError"));
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      timers.fireAll();
    });
  };
}
