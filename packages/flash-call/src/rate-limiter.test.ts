import { FlashdutyConfigError } from "@flash-call/errors";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter given plain JavaScript's values", () => {
  test("windows that would never let a request through, or pace none, are a config error at construction", () => {
    for (const limit of [
      { perSecond: 0 },
      { perMinute: -1 },
      { perSecond: 1.5 },
      { perSecond: "10" },
      { perMinute: Number.NaN },
      42,
    ]) {
      expect(() => new RateLimiter(limit as never)).toThrow(FlashdutyConfigError);
    }
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
      },
    );
    expect(() => new RateLimiter(hostile)).toThrow(FlashdutyConfigError);
    expect(() => new RateLimiter({}, "clock" as never)).toThrow(FlashdutyConfigError);
    expect(new RateLimiter(null as never)).toBeInstanceOf(RateLimiter);
  });

  test("a pause that is not a number is a config error, not a pause of years", async () => {
    const limiter = new RateLimiter();
    for (const ms of ["5", Number.NaN, Symbol("ms"), undefined]) {
      expect(() => limiter.pause("k", ms as never)).toThrow(FlashdutyConfigError);
    }
    const release = await limiter.acquire("k");
    release();
  });
});

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Acquires `count` slots; each request is answered `latencyMs` after it is sent. Returns the send times. */
  const drain = async (limiter: RateLimiter, count: number, key = "k", latencyMs = 0) => {
    const times: number[] = [];
    const all = Array.from({ length: count }, () =>
      limiter.acquire(key).then((release) => {
        times.push(Date.now());
        setTimeout(release, latencyMs);
      }),
    );
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return times;
  };

  const maxInWindow = (times: number[], windowMs: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let start = 0, end = 0; end < sorted.length; end++) {
      while (sorted[end]! - sorted[start]! >= windowMs) start++;
      most = Math.max(most, end - start + 1);
    }
    return most;
  };

  test("never lets more than perSecond through in any second", async () => {
    const times = await drain(new RateLimiter({ perSecond: 10, perMinute: 1000 }), 35);
    expect(times).toHaveLength(35);
    expect(maxInWindow(times, 1000)).toBe(10);
    // Paced at the limit, not slower: three more windows after the first burst.
    expect(times.at(-1)! - times[0]!).toBeLessThan(3 * 1010);
  });

  test("a request holds its slot until answered, so the server can never see a burst", async () => {
    const times = await drain(new RateLimiter({ perSecond: 5, perMinute: 1000 }), 10, "k", 300);
    // The sixth may go only a second after the first answer (300 ms), not a second after the first send.
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(1300);
  });

  test("never lets more than perMinute through in any minute", async () => {
    const times = await drain(new RateLimiter({ perSecond: 100, perMinute: 50 }), 120);
    expect(maxInWindow(times, 60_000)).toBe(50);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(100);
  });

  test("with every slot in flight, the next waits for an answer", async () => {
    const limiter = new RateLimiter({ perSecond: 1, perMinute: 100 });
    const release = await limiter.acquire("k");
    let second = false;
    const next = limiter.acquire("k").then(() => {
      second = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(second).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(1001);
    await next;
    expect(second).toBe(true);
  });

  test("keys are paced independently", async () => {
    const limiter = new RateLimiter({ perSecond: 2, perMinute: 100 });
    const [timesA, timesB] = await Promise.all([drain(limiter, 2, "a"), drain(limiter, 2, "b")]);
    expect([...timesA, ...timesB].every((time) => time === 1_000_000)).toBe(true);
  });

  test("pause holds a key for the given time", async () => {
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 1000 });
    limiter.pause("k", 5000);
    const times = await drain(limiter, 1);
    expect(times[0]).toBe(1_005_000);
  });

  test("record counts a request another pacer let through, at once, even over the limit, until released", async () => {
    const limiter = new RateLimiter({ perSecond: 2, perMinute: 100 });
    const releases = [limiter.record("k"), limiter.record("k"), limiter.record("k")];
    let sent = false;
    const next = limiter.acquire("k").then((release) => {
      sent = true;
      return release;
    });
    await vi.advanceTimersByTimeAsync(5000);
    // Three in flight against a limit of two: nothing more goes until they are answered and age out.
    expect(sent).toBe(false);
    for (const release of releases) release();
    await vi.advanceTimersByTimeAsync(1001);
    await next;
    expect(Date.now()).toBe(1_006_001);
  });

  test("an aborted wait rejects and does not block later waiters", async () => {
    const limiter = new RateLimiter({ perSecond: 1, perMinute: 100 });
    (await limiter.acquire("k"))();
    const controller = new AbortController();
    const aborted = limiter.acquire("k", controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    const later = limiter.acquire("k");
    await vi.runAllTimersAsync();
    await expect(later).resolves.toBeTypeOf("function");
  });
});

/*
 * The limiter against a reference model: the same rules written plainly — a linear scan of the answers instead of a
 * binary search, an explicit list of waiters instead of a promise chain — run as a discrete-event simulation. Any
 * schedule of acquires (each answered after its own latency), 429 pauses and aborts must send the same requests at
 * the same times in both.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const START = 1_000_000;

type LimiterStep =
  | { kind: "acquire"; at: number; key: string; latencyMs: number; abortAfterMs: number | undefined }
  | { kind: "pause"; at: number; key: string; ms: number };

interface LimiterSchedule {
  perSecond: number;
  perMinute: number;
  steps: LimiterStep[];
}

/** `[request, time sent]`, in the order sent. */
type Sends = Array<[request: number, at: number]>;

/** The reference model: what the limiter must do, step by step. */
function modelSends({ perSecond, perMinute, steps }: LimiterSchedule): Sends {
  interface Waiter {
    request: number;
    latencyMs: number;
    aborted: boolean;
  }
  interface KeyState {
    inFlight: number;
    answers: number[];
    pausedUntil: number;
    waiting: Waiter[];
    /** What the first waiter is waiting for: nothing yet, a wake-up (its number), or an answer to arrive. */
    head: "idle" | number | "answer";
  }
  interface Event {
    at: number;
    order: number;
    run: (now: number) => void;
  }
  const sends: Sends = [];
  const events: Event[] = [];
  let order = 0;
  const schedule = (at: number, run: (now: number) => void) => {
    events.push({ at, order: order++, run });
  };
  const keys = new Map<string, KeyState>();
  const state = (key: string): KeyState => {
    let found = keys.get(key);
    if (!found) {
      found = { inFlight: 0, answers: [], pausedUntil: 0, waiting: [], head: "idle" };
      keys.set(key, found);
    }
    return found;
  };
  const delay = (key: KeyState, now: number): number => {
    key.answers = key.answers.filter((answer) => answer > now - MINUTE_MS);
    let wait = Math.max(0, key.pausedUntil - now);
    for (const [limit, span] of [
      [perSecond, SECOND_MS],
      [perMinute, MINUTE_MS],
    ] as const) {
      const inside = key.answers.filter((answer) => answer > now - span);
      const excess = key.inFlight + inside.length - limit;
      if (excess < 0) continue;
      const agesOutLast = inside[excess];
      if (agesOutLast === undefined) return Infinity;
      wait = Math.max(wait, agesOutLast + span - now + 1);
    }
    return wait;
  };
  let wakes = 0;
  const serve = (name: string, now: number) => {
    const key = state(name);
    for (let first = key.waiting[0]; first !== undefined; first = key.waiting[0]) {
      if (first.aborted) {
        key.waiting.shift();
        continue;
      }
      const wait = delay(key, now);
      if (wait === Infinity) {
        key.head = "answer";
        return;
      }
      if (wait > 0) {
        const wake = ++wakes;
        key.head = wake;
        schedule(now + wait, (later) => {
          if (key.head !== wake) return;
          key.head = "idle";
          serve(name, later);
        });
        return;
      }
      key.waiting.shift();
      key.inFlight++;
      sends.push([first.request, now]);
      schedule(now + first.latencyMs, (later) => {
        key.inFlight--;
        key.answers.push(later);
        if (key.head !== "answer") return;
        key.head = "idle";
        serve(name, later);
      });
    }
    key.head = "idle";
  };
  const aborts: Array<() => void> = [];
  steps.forEach((step, request) => {
    const at = START + step.at;
    if (step.kind === "pause") {
      schedule(at, (now) => {
        const key = state(step.key);
        key.pausedUntil = Math.max(key.pausedUntil, now + step.ms);
      });
      return;
    }
    const waiter: Waiter = { request, latencyMs: step.latencyMs, aborted: false };
    schedule(at, (now) => {
      const key = state(step.key);
      key.waiting.push(waiter);
      if (key.head === "idle") serve(step.key, now);
    });
    const abortAfterMs = step.abortAfterMs;
    if (abortAfterMs === undefined) return;
    // Scheduled after every acquire and pause, as the test below creates its timers.
    aborts.push(() =>
      schedule(at + abortAfterMs, (now) => {
        const key = state(step.key);
        const position = key.waiting.indexOf(waiter);
        if (position === -1) return;
        waiter.aborted = true;
        if (position === 0) {
          key.waiting.shift();
          key.head = "idle";
          serve(step.key, now);
        }
      }),
    );
  });
  for (const abort of aborts) abort();
  for (;;) {
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = events.shift();
    if (next === undefined) return sends;
    next.run(next.at);
  }
}

/** What the limiter does with the schedule, under fake timers. */
async function limiterSends({ perSecond, perMinute, steps }: LimiterSchedule): Promise<Sends> {
  vi.useFakeTimers({ now: START });
  try {
    const limiter = new RateLimiter({ perSecond, perMinute }, () => Date.now());
    const sends: Sends = [];
    const settled: Promise<unknown>[] = [];
    const aborts: Array<() => void> = [];
    steps.forEach((step, request) => {
      if (step.kind === "pause") {
        setTimeout(() => limiter.pause(step.key, step.ms), step.at);
        return;
      }
      const controller = step.abortAfterMs === undefined ? undefined : new AbortController();
      setTimeout(() => {
        const sent = limiter.acquire(step.key, controller?.signal).then((release) => {
          sends.push([request, Date.now()]);
          setTimeout(release, step.latencyMs);
        });
        settled.push(sent.catch(() => {}));
      }, step.at);
      const abortAfterMs = step.abortAfterMs;
      if (controller && abortAfterMs !== undefined) {
        aborts.push(() => setTimeout(() => controller.abort(new Error("aborted")), step.at + abortAfterMs));
      }
    });
    for (const abort of aborts) abort();
    await vi.runAllTimersAsync();
    await Promise.all(settled);
    return sends;
  } finally {
    vi.useRealTimers();
  }
}

const limiterStep: fc.Arbitrary<LimiterStep> = fc.oneof(
  fc.record({
    kind: fc.constant("acquire" as const),
    at: fc.integer({ min: 0, max: 3000 }),
    key: fc.constantFrom("a", "b"),
    latencyMs: fc.integer({ min: 0, max: 1500 }),
    abortAfterMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("pause" as const),
    at: fc.integer({ min: 0, max: 3000 }),
    key: fc.constantFrom("a", "b"),
    ms: fc.integer({ min: 0, max: 5000 }),
  }),
);

const limiterSchedule: fc.Arbitrary<LimiterSchedule> = fc.record({
  perSecond: fc.integer({ min: 1, max: 4 }),
  perMinute: fc.integer({ min: 1, max: 12 }),
  steps: fc.array(limiterStep, { minLength: 1, maxLength: 24 }),
});

describe("RateLimiter's memory", () => {
  /**
   * Asks for a slot for `key` and checks it is not given: the clock these tests pass never moves, so a waiting
   * request stays waiting however long the machine takes. Called off afterwards, so no timer outlives the test.
   */
  const expectToWait = async (limiter: RateLimiter, key: string) => {
    const controller = new AbortController();
    let outcome = "waiting";
    const waiter = limiter.acquire(key, controller.signal).then(
      () => {
        outcome = "sent";
      },
      () => {
        outcome = "called off";
      },
    );
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    expect(outcome).toBe("waiting");
    controller.abort();
    await waiter;
    expect(outcome).toBe("called off");
  };

  test("drops the windows of keys idle for a minute, and keeps every window that still counts", async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 1000 }, () => now);
    for (let index = 0; index < 1000; index++) (await limiter.acquire(`idle-${index}`))();
    const held = await limiter.acquire("in-flight");
    limiter.pause("paused", 5 * 60_000);
    now += 30_000;
    (await limiter.acquire("recent"))();
    expect(limiter.trackedKeys).toBe(1003);

    // A minute after the idle keys' answers, the next calls drop what no longer counts, a few windows per call.
    now += 30_000;
    (await limiter.acquire("next"))();
    expect(limiter.trackedKeys).toBeGreaterThan(900);
    for (let call = 0; call < 20; call++) (await limiter.acquire("next"))();
    expect(limiter.trackedKeys).toBe(4);

    // What was kept still decides: the pause holds the key's next request.
    held();
    await expectToWait(limiter, "paused");
  });

  test("a wall clock stepped forward and back drops nothing that counts: windows are on a monotonic clock", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const limiter = new RateLimiter({ perSecond: 2, perMinute: 100 });
      limiter.pause("paused", 30_000);
      (await limiter.acquire("busy"))();
      (await limiter.acquire("busy"))();
      // An hour ahead and back, with calls in between that would sweep on the wall clock.
      vi.setSystemTime(Date.now() + 3_600_000);
      for (let call = 0; call < 3; call++) (await limiter.acquire(`other-${call}`))();
      vi.setSystemTime(Date.now() - 3_600_000);
      expect(limiter.trackedKeys).toBe(5);
      await expectToWait(limiter, "paused");
      await expectToWait(limiter, "busy");
    } finally {
      vi.useRealTimers();
    }
  });

  test("a clock that goes back takes every recorded time with it: an answer keeps its age, a pause its time left", async () => {
    vi.useFakeTimers({ now: 10_000_000 });
    try {
      // A wall clock, as a user may inject, set back an hour just after an answer and a pause.
      const limiter = new RateLimiter({ perSecond: 1, perMinute: 100 }, () => Date.now());
      (await limiter.acquire("k"))();
      limiter.pause("p", 30_000);
      vi.setSystemTime(Date.now() - 3_600_000);

      // The answer is still new: the next request waits a second, not an hour and a second.
      const granted = (key: string) => {
        const state = { granted: false };
        void limiter.acquire(key).then((release) => {
          state.granted = true;
          release();
        });
        return state;
      };
      const next = granted("k");
      await vi.advanceTimersByTimeAsync(999);
      expect(next.granted).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      expect(next.granted).toBe(true);

      // The pause has what was left of its 30 s: 28,999 ms after that second.
      const paused = granted("p");
      await vi.advanceTimersByTimeAsync(28_990);
      expect(paused.granted).toBe(false);
      await vi.advanceTimersByTimeAsync(20);
      expect(paused.granted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test("a key whose window was dropped is paced as a new one: its old answers had aged out of every window", async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ perSecond: 3, perMinute: 3 }, () => now);
    for (let index = 0; index < 3; index++) (await limiter.acquire("k"))();
    now += 60_001;
    (await limiter.acquire("other"))();
    (await limiter.acquire("other"))();
    expect(limiter.trackedKeys).toBe(1);
    // Three at once, as a fresh window allows; the fourth waits.
    for (let index = 0; index < 3; index++) (await limiter.acquire("k"))();
    await expectToWait(limiter, "k");
  });
});

describe("RateLimiter against its reference model", () => {
  test("any schedule of acquires, 429 pauses, aborts and answers sends the same requests at the same times", async () => {
    await fc.assert(
      fc.asyncProperty(limiterSchedule, async (schedule) => {
        expect(await limiterSends(schedule)).toEqual(modelSends(schedule));
      }),
      propertyOptions(
        "any schedule of acquires, 429 pauses, aborts and answers sends the same requests at the sa",
        { numRuns: 300 },
      ),
    );
  });

  // Schedules on which a wrong limiter (a wake-up 1 ms late, a pause that shortens an earlier one) differed.
  test.each<[string, LimiterSchedule]>([
    [
      "two requests when one fits a minute",
      {
        perSecond: 1,
        perMinute: 1,
        steps: [
          { kind: "acquire", at: 0, key: "a", latencyMs: 0, abortAfterMs: undefined },
          { kind: "acquire", at: 0, key: "a", latencyMs: 0, abortAfterMs: undefined },
        ],
      },
    ],
    [
      "a shorter pause after a longer one",
      {
        perSecond: 1,
        perMinute: 1,
        steps: [
          { kind: "pause", at: 1, key: "b", ms: 0 },
          { kind: "acquire", at: 1, key: "b", latencyMs: 0, abortAfterMs: undefined },
          { kind: "pause", at: 0, key: "b", ms: 2 },
        ],
      },
    ],
  ])("%s", async (_, schedule) => {
    expect(await limiterSends(schedule)).toEqual(modelSends(schedule));
  });
});
