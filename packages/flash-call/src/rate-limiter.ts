import { sleep } from "./sleep.js";

/** Requests allowed per integration key. Flashduty allows 100 per second and 1000 per minute. */
export interface RateLimit {
  /** @default 100 */
  perSecond?: number;
  /** @default 1000 */
  perMinute?: number;
}

/** Ends a request's hold on its slot; call it when the response has arrived (or the request failed). */
export type Release = () => void;

const SECOND = 1000;
const MINUTE = 60_000;

class KeyWindow {
  /** Requests sent and not yet answered: they count in every window until they are. */
  inFlight = 0;
  /** When each answered request was answered, oldest first (answers are recorded as they happen). */
  readonly answered: number[] = [];
  head = 0;
  pausedUntil = 0;
  chain: Promise<void> = Promise.resolve();
  onRelease: (() => void) | undefined;

  /** Answered requests still inside a window of `span` ms ending now. */
  liveAnswered(now: number, span: number): number {
    let low = this.head;
    let high = this.answered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.answered[middle]! > now - span) high = middle;
      else low = middle + 1;
    }
    return this.answered.length - low;
  }

  prune(now: number): void {
    while (this.head < this.answered.length && this.answered[this.head]! <= now - MINUTE) this.head++;
    if (this.head > 1024 && this.head * 2 > this.answered.length) {
      this.answered.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * A strict sliding-window pacer per integration key: never more than `perSecond` requests in any second nor
 * `perMinute` in any minute, as the server counts them. The server's clock is unknown, so a request holds its slot
 * from sending until its answer arrives, and only then starts to age out: whatever the network's delays, no window
 * of the server's can hold more than the limit. Waiters are served first come, first served.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #perMinute: number;
  readonly #windows = new Map<string, KeyWindow>();
  readonly #now: () => number;

  constructor(limit: RateLimit = {}, now: () => number = Date.now) {
    this.#perSecond = limit.perSecond ?? 100;
    this.#perMinute = limit.perMinute ?? 1000;
    this.#now = now;
  }

  #window(key: string): KeyWindow {
    let window = this.#windows.get(key);
    if (!window) {
      window = new KeyWindow();
      this.#windows.set(key, window);
    }
    return window;
  }

  /**
   * Resolves with a `Release` when one more request for `key` fits in both windows; rejects if `signal` aborts
   * first. Call the release when the answer arrives.
   */
  acquire(key: string, signal?: AbortSignal): Promise<Release> {
    const window = this.#window(key);
    const turn = window.chain.then(() => this.#waitForSlot(window, signal));
    // The next waiter queues behind this one whether it succeeds or is aborted.
    window.chain = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  async #waitForSlot(window: KeyWindow, signal?: AbortSignal): Promise<Release> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.#now();
      window.prune(now);
      const wait = this.#delay(window, now);
      if (wait === 0) {
        window.inFlight++;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          window.inFlight--;
          window.answered.push(this.#now());
          const wake = window.onRelease;
          window.onRelease = undefined;
          wake?.();
        };
      }
      await this.#waitForChange(window, wait, signal);
    }
  }

  /** 0 when a request may go now; otherwise how long until one may (Infinity: until an answer arrives). */
  #delay(window: KeyWindow, now: number): number {
    let wait = Math.max(0, window.pausedUntil - now);
    for (const [limit, span] of [
      [this.#perSecond, SECOND],
      [this.#perMinute, MINUTE],
    ] as const) {
      const live = window.inFlight + window.liveAnswered(now, span);
      if (live < limit) continue;
      const excess = live - limit; // this many answered requests must age out, plus one
      const answeredLive = live - window.inFlight;
      if (excess >= answeredLive) return Number.POSITIVE_INFINITY;
      const oldest = window.answered.length - answeredLive + excess;
      wait = Math.max(wait, window.answered[oldest]! + span - now + 1);
    }
    return wait;
  }

  #waitForChange(window: KeyWindow, wait: number, signal?: AbortSignal): Promise<void> {
    if (wait !== Number.POSITIVE_INFINITY) return sleep(wait, signal);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        window.onRelease = undefined;
        reject(signal?.reason);
      };
      window.onRelease = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Holds every request for `key` for `ms` (a 429's Retry-After). */
  pause(key: string, ms: number): void {
    const window = this.#window(key);
    window.pausedUntil = Math.max(window.pausedUntil, this.#now() + ms);
  }
}
