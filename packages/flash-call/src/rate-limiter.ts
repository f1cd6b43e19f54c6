import { FlashdutyConfigError, kindOf } from "@flash-call/errors";
import { checkRateLimitWindows } from "./check-options.js";
import { monotonicNow } from "./clock.js";
import type { Pacer, Release } from "./pacer.js";
import { sleep } from "./sleep.js";

export type { Release } from "./pacer.js";

/** The windows of the in-process pacer. Flashduty allows 100 requests per second and 1000 per minute per key. */
export interface RateLimitWindows {
  /** @default 100 */
  perSecond?: number;
  /** @default 1000 */
  perMinute?: number;
}

/**
 * Client-side pacing per integration key: the in-process pacer's windows, or a `pacer` every process shares.
 *
 * @example
 * ```ts
 * createFlashCall({ rateLimit: { perSecond: 50 } }); // in-process, half of Flashduty's per-second limit
 * createFlashCall({ rateLimit: { pacer: createRedisPacer(redisClient) } }); // shared by the fleet
 * ```
 */
export interface RateLimit extends RateLimitWindows {
  /**
   * A pacer shared by every process sending with the key (`createRedisPacer` from `@flash-call/redis`). It carries
   * its own limits: `perSecond`/`perMinute` beside it are refused. @default a `RateLimiter` of this instance
   */
  pacer?: Pacer;
}

const SECOND = 1000;
const MINUTE = 60_000;
/** Windows looked at per call while idle ones are dropped: a sweep of a million costs no call more than a few µs. */
const SWEEP_STEP = 64;

/** One key's pacing state. */
interface KeyWindow {
  /** Requests sent and not yet answered: they count in every window until they are. */
  inFlight: number;
  /** When each answered request of the last minute was answered, oldest first (answers are recorded as they happen). */
  answered: number[];
  pausedUntil: number;
  /** The turn of the latest waiter: each waits for the one before, so waiters are served in order. */
  chain: Promise<unknown>;
  /** Wakes the waiter that needs an answer to arrive. */
  onRelease: (() => void) | undefined;
  /** Callers of `acquire` not yet given a slot (or refused one). */
  waiting: number;
}

/**
 * Whether a window holds nothing that counts any more: on a clock that only moves forward, dropping it changes no
 * decision.
 */
const isIdle = (window: KeyWindow, now: number): boolean =>
  window.inFlight === 0 &&
  window.waiting === 0 &&
  window.pausedUntil <= now &&
  (window.answered.at(-1) ?? Number.NEGATIVE_INFINITY) <= now - MINUTE;

/** The index of the first time after `since` in `times` (ascending): binary search, as a minute may hold thousands. */
function firstAfter(times: number[], since: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    // `middle` is below `times.length`, so the fallback is never used.
    if ((times[middle] ?? Number.POSITIVE_INFINITY) > since) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A strict sliding-window pacer per integration key: never more than `perSecond` requests in any second nor
 * `perMinute` in any minute, as the server counts them. The server's clock is unknown, so a request holds its slot
 * from sending until its answer arrives, and only then starts to age out: whatever the network's delays, no window
 * of the server's can hold more than the limit. Waiters are served first come, first served. The default `Pacer`.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ perSecond: 100, perMinute: 1000 });
 * const release = await limiter.acquire(keyId);
 * try { await send(); } finally { release(); }
 * ```
 */
export class RateLimiter implements Pacer {
  readonly #perSecond: number;
  readonly #perMinute: number;
  readonly #windows = new Map<string, KeyWindow>();
  readonly #now: () => number;
  /** When the last sweep of idle windows started: one starts at most once a minute. */
  #sweptAt: number;
  /** The latest time read: a clock read earlier than it went back (see #read). */
  #latest: number;
  /** The sweep under way: each call looks at the next {@link SWEEP_STEP} windows. */
  #sweeping: Iterator<[string, KeyWindow]> | undefined;

  /**
   * @param limit the windows; @default 100 per second and 1000 per minute
   * @param now the clock windows are measured on; @default a monotonic one (`performance.now()`), so that a wall
   *   clock stepped back neither stalls pacing nor, once idle windows are dropped, lets a burst through (fake
   *   timers in tests must then fake `performance` too, as vitest 3 and @sinonjs/fake-timers do by default)
   * @throws FlashdutyConfigError when a window is not a whole number, 1 or more, or `now` is not a function
   */
  constructor(limit: RateLimitWindows = {}, now: () => number = monotonicNow) {
    const { perSecond, perMinute } = checkRateLimitWindows(limit);
    if (typeof now !== "function") {
      throw new FlashdutyConfigError(`RateLimiter's clock must be a function, not ${kindOf(now)}.`);
    }
    this.#perSecond = perSecond ?? 100;
    this.#perMinute = perMinute ?? 1000;
    this.#now = now;
    this.#sweptAt = now();
    this.#latest = this.#sweptAt;
  }

  /**
   * How many keys this limiter holds windows for. A key's window is dropped once nothing of it counts (no request
   * in flight or waiting, no pause, no answer within the last minute), by a sweep started at most once a minute that
   * looks at a few windows per call, so a process that has sent with a million keys holds windows only for those
   * of the last few minutes.
   */
  get trackedKeys(): number {
    return this.#windows.size;
  }

  /**
   * Reads the clock. One that went back (fake timers installed while answers are held, an injected wall clock)
   * takes every recorded time back with it: each answer keeps the age and each pause the time left it had, so a
   * step back neither holds pacing for as long as the step nor makes an answer count for less.
   */
  #read(): number {
    const now = this.#now();
    const step = now - this.#latest;
    if (step < 0) {
      for (const window of this.#windows.values()) {
        const answered = window.answered;
        for (let index = 0; index < answered.length; index++)
          answered[index] = (answered[index] as number) + step;
        window.pausedUntil += step;
      }
      this.#sweptAt += step;
    }
    this.#latest = now;
    return now;
  }

  /** Drops idle windows, {@link SWEEP_STEP} at a time, in a sweep started at most once a minute. */
  #sweep(now: number): void {
    if (this.#sweeping === undefined) {
      if (now - this.#sweptAt < MINUTE) return;
      this.#sweptAt = now;
      // A Map's iterator stays valid while entries are deleted or added.
      this.#sweeping = this.#windows.entries();
    }
    for (let step = 0; step < SWEEP_STEP; step++) {
      const next = this.#sweeping.next();
      if (next.done === true) {
        this.#sweeping = undefined;
        return;
      }
      const [key, window] = next.value;
      if (isIdle(window, now)) this.#windows.delete(key);
    }
  }

  #window(key: string): KeyWindow {
    this.#sweep(this.#read());
    let window = this.#windows.get(key);
    if (!window) {
      window = {
        inFlight: 0,
        answered: [],
        pausedUntil: 0,
        chain: Promise.resolve(),
        onRelease: undefined,
        waiting: 0,
      };
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
    window.waiting++;
    const turn = window.chain.then(() => this.#waitForSlot(window, signal));
    // The next waiter queues behind this one whether it succeeds or is aborted.
    window.chain = turn.then(
      () => void window.waiting--,
      () => void window.waiting--,
    );
    return turn;
  }

  async #waitForSlot(window: KeyWindow, signal?: AbortSignal): Promise<Release> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.#read();
      const wait = this.#delay(window, now);
      if (wait === 0) return this.#hold(window);
      await this.#waitForChange(window, wait, signal);
    }
  }

  /** Counts one more request in flight for the window, until the returned release says it was answered. */
  #hold(window: KeyWindow): Release {
    window.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      window.inFlight--;
      const now = this.#read();
      window.answered.push(now);
      const wake = window.onRelease;
      window.onRelease = undefined;
      wake?.();
    };
  }

  /**
   * Counts a request for `key` that another pacer let through (a shared store), without waiting: if this limiter
   * has to take over, it starts from what this process really sent, not from an empty window.
   *
   * @example
   * ```ts
   * const release = local.record(keyId); // beside the store's own slot; release both when answered
   * ```
   */
  record(key: string): Release {
    return this.#hold(this.#window(key));
  }

  /** 0 when a request may go now; otherwise how long until one may (Infinity: until an answer arrives). */
  #delay(window: KeyWindow, now: number): number {
    const answered = window.answered;
    // Answers older than a minute count in no window any more.
    answered.splice(0, firstAfter(answered, now - MINUTE));
    let wait = Math.max(0, window.pausedUntil - now);
    for (const [limit, span] of [
      [this.#perSecond, SECOND],
      [this.#perMinute, MINUTE],
    ] as const) {
      const first = firstAfter(answered, now - span); // answered[first…] are inside this window
      // Requests over the limit: that many answers of the window must age out, and one more, before the next may go.
      const excess = window.inFlight + answered.length - first - limit;
      if (excess < 0) continue;
      // No such answer yet: the next may go only once an answer in flight arrives.
      const agesOutLast = answered[first + excess];
      if (agesOutLast === undefined) return Infinity;
      wait = Math.max(wait, agesOutLast + span - now + 1);
    }
    return wait;
  }

  #waitForChange(window: KeyWindow, wait: number, signal?: AbortSignal): Promise<void> {
    if (wait !== Infinity) return sleep(wait, signal);
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

  /**
   * Holds every request for `key` for `ms` (a 429's Retry-After); 0 or less holds nothing.
   *
   * @throws FlashdutyConfigError when `ms` is not a number, or NaN
   */
  pause(key: string, ms: number): void {
    // A string would be added to the time as text ("5" makes a pause of years), NaN would end every pause.
    if (typeof ms !== "number" || Number.isNaN(ms)) {
      throw new FlashdutyConfigError(`RateLimiter.pause's ms must be a number, not ${kindOf(ms)}.`);
    }
    const window = this.#window(key);
    const now = this.#read();
    window.pausedUntil = Math.max(window.pausedUntil, now + ms);
  }
}
