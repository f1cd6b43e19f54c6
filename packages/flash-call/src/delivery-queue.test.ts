import { FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { DeliveryQueue } from "./delivery-queue.js";

const deferred = <Value>() => {
  let resolve!: (value: Value) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Value>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

describe("DeliveryQueue", () => {
  test("runs at most `concurrency` jobs at once", async () => {
    const queue = new DeliveryQueue<number>(100, 3);
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 20 }, (_, index) =>
      queue.add(undefined, async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((wake) => setTimeout(wake, 1));
        running--;
        return index;
      }),
    );
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(most).toBe(3);
  });

  test("refuses work beyond maxQueue with a typed error, dropping nothing already queued", async () => {
    const queue = new DeliveryQueue<string>(2, 1);
    const gate = deferred<string>();
    const first = queue.add(undefined, () => gate.promise);
    const second = queue.add(undefined, async () => "second");
    const third = queue.add(undefined, async () => "third");
    await expect(third).rejects.toSatisfy(
      (error) => FlashdutyError.isInstance(error) && error.code === "QueueFull" && error.retryable,
    );
    gate.resolve("first");
    expect(await Promise.all([first, second])).toEqual(["first", "second"]);
  });

  test("jobs of one alert_key never overtake each other; others pass them", async () => {
    const queue = new DeliveryQueue<string>(100, 4);
    const order: string[] = [];
    const alertGate = deferred<string>();
    const alert = queue.add("k1", async () => {
      await alertGate.promise;
      order.push("alert");
      return "alert";
    });
    const recovery = queue.add("k1", async () => {
      order.push("recovery");
      return "recovery";
    });
    const other = queue.add("k2", async () => {
      order.push("other");
      return "other";
    });
    await other;
    expect(order).toEqual(["other"]);
    alertGate.resolve("go");
    await Promise.all([alert, recovery]);
    expect(order).toEqual(["other", "alert", "recovery"]);
  });

  test("a failed job does not stop its successors; flush counts both", async () => {
    const queue = new DeliveryQueue<string>(100, 1);
    const failed = queue.add("k", async () => {
      throw new Error("boom");
    });
    const next = queue.add("k", async () => "next");
    failed.catch(() => {});
    const flushed = queue.flush();
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    expect(await flushed).toEqual({ delivered: 1, failed: 1 });
    expect(await queue.flush()).toEqual({ delivered: 0, failed: 0 });
  });

  test("flush waits only for what was queued when it was called, however much keeps coming", async () => {
    const queue = new DeliveryQueue<number>(100, 1);
    let sent = 0;
    let stop = false;
    const feed = (): void => {
      if (stop) return;
      queue
        .add(undefined, async () => {
          await new Promise((wake) => setTimeout(wake, 1));
          return ++sent;
        })
        .then(feed, feed);
    };
    feed();
    feed();
    const result = await queue.flush();
    stop = true;
    expect(result).toEqual({ delivered: 2, failed: 0 });
    await queue.flush();
  });

  test("two flushes waiting at once each get the counts of what they waited for", async () => {
    const queue = new DeliveryQueue<string>(100, 1);
    queue.add(undefined, async () => "a");
    const first = queue.flush();
    queue.add(undefined, async () => "b");
    const second = queue.flush();
    expect(await first).toEqual({ delivered: 1, failed: 0 });
    expect(await second).toEqual({ delivered: 2, failed: 0 });
  });

  test("flush waits for everything queued", async () => {
    const queue = new DeliveryQueue<number>(100, 2);
    let done = 0;
    for (let index = 0; index < 10; index++) {
      queue
        .add(undefined, async () => {
          await new Promise((wake) => setTimeout(wake, 2));
          return ++done;
        })
        .catch(() => {});
    }
    await queue.flush();
    expect(done).toBe(10);
    expect(queue.size).toBe(0);
  });

  test("a waiting job whose signal aborts leaves at once, never runs, and frees its room", async () => {
    const busy: boolean[] = [];
    const queue = new DeliveryQueue<string>(2, 1, (state) => busy.push(state));
    const gate = deferred<string>();
    const first = queue.add("k", () => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const second = queue.add(
      "k",
      async () => {
        ran = true;
        return "second";
      },
      controller.signal,
    );
    const flushed = queue.flush();
    expect(queue.size).toBe(2);
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(FlashdutyAbortError);
    // Never run: Flashduty cannot have it.
    await expect(second).rejects.toMatchObject({ sent: false });
    expect(queue.size).toBe(1);
    const third = queue.add("k", async () => "third");
    gate.resolve("first");
    expect(await Promise.all([first, third])).toEqual(["first", "third"]);
    expect(await flushed).toEqual({ delivered: 1, failed: 1 });
    expect(ran).toBe(false);
    expect(queue.size).toBe(0);
    expect(busy).toEqual([true, false]);
  });

  test("a job added with an aborted signal is refused without entering the queue", async () => {
    const busy: boolean[] = [];
    const queue = new DeliveryQueue<string>(1, 1, (state) => busy.push(state));
    await expect(queue.add(undefined, async () => "x", AbortSignal.abort())).rejects.toBeInstanceOf(
      FlashdutyAbortError,
    );
    expect(queue.size).toBe(0);
    expect(busy).toEqual([]);
  });
});

/*
 * The queue against a reference model: a plain list of waiting jobs and a set of running ones. Any sequence of adds
 * (with or without an alert_key, with or without a signal), completions, failures and aborts must start the same
 * jobs at the same step, settle every add the same way at the same step, and report the same size and busy changes.
 */

type QueueStep =
  | { kind: "add"; key: string | undefined; abortable: boolean }
  | { kind: "complete" | "fail" | "abort"; job: number };

interface QueueSchedule {
  maxQueue: number;
  concurrency: number;
  steps: QueueStep[];
}

/** What was seen after each step: jobs started, adds settled (`job:outcome`), size, and busy changes. */
type Trace = Array<{ started: number[]; settled: string[]; size: number; busy: boolean[] }>;

function modelTrace({ maxQueue, concurrency, steps }: QueueSchedule): Trace {
  const waiting: Array<{ job: number; key: string | undefined; abortable: boolean }> = [];
  const running = new Map<number, string | undefined>();
  const trace: Trace = [];
  let jobs = 0;
  for (const step of steps) {
    const seen = { started: [] as number[], settled: [] as string[], size: 0, busy: [] as boolean[] };
    const size = () => waiting.length + running.size;
    // Starts every waiting job that has a free slot and no earlier job of its key running, oldest first; says
    // "not busy" whenever it leaves the queue empty.
    const pump = () => {
      for (let index = 0; index < waiting.length && running.size < concurrency; ) {
        const candidate = waiting[index];
        if (candidate === undefined) break;
        if (candidate.key !== undefined && [...running.values()].includes(candidate.key)) {
          index++;
          continue;
        }
        waiting.splice(index, 1);
        running.set(candidate.job, candidate.key);
        seen.started.push(candidate.job);
      }
      if (size() === 0) seen.busy.push(false);
    };
    if (step.kind === "add") {
      const job = jobs++;
      if (size() >= maxQueue) seen.settled.push(`${job}:QueueFull`);
      else {
        if (size() === 0) seen.busy.push(true);
        waiting.push({ job, key: step.key, abortable: step.abortable });
        pump();
      }
    } else if (step.kind === "abort") {
      const index = waiting.findIndex((candidate) => candidate.job === step.job && candidate.abortable);
      if (index !== -1) {
        waiting.splice(index, 1);
        pump();
        seen.settled.push(`${step.job}:Aborted`);
      }
    } else if (running.has(step.job)) {
      running.delete(step.job);
      pump();
      seen.settled.push(`${step.job}:${step.kind === "complete" ? "delivered" : "failed"}`);
    }
    seen.size = size();
    trace.push(seen);
  }
  return trace;
}

/** What the queue does with the schedule; every step's effects are awaited before the next. */
async function queueTrace({ maxQueue, concurrency, steps }: QueueSchedule): Promise<Trace> {
  let seen = { started: [] as number[], settled: [] as string[], size: 0, busy: [] as boolean[] };
  const queue = new DeliveryQueue<string>(maxQueue, concurrency, (busy) => seen.busy.push(busy));
  const gates = new Map<number, ReturnType<typeof deferred<string>>>();
  const controllers = new Map<number, AbortController>();
  const trace: Trace = [];
  let jobs = 0;
  // Lets every promise reaction run: the queue's work is all microtasks.
  const settle = () => new Promise((done) => setImmediate(done));
  for (const step of steps) {
    seen = { started: [], settled: [], size: 0, busy: [] };
    if (step.kind === "add") {
      const job = jobs++;
      const controller = step.abortable ? new AbortController() : undefined;
      if (controller) controllers.set(job, controller);
      const run = () => {
        seen.started.push(job);
        const gate = deferred<string>();
        gates.set(job, gate);
        return gate.promise;
      };
      queue.add(step.key, run, controller?.signal).then(
        () => seen.settled.push(`${job}:delivered`),
        (error: unknown) => {
          const code = FlashdutyError.isInstance(error) ? error.code : "thrown";
          seen.settled.push(`${job}:${code === "QueueFull" || code === "Aborted" ? code : "failed"}`);
        },
      );
    } else if (step.kind === "abort") {
      controllers.get(step.job)?.abort();
    } else {
      const gate = gates.get(step.job);
      gates.delete(step.job);
      if (step.kind === "complete") gate?.resolve("sent");
      else gate?.reject(new FlashdutyError("no", { code: "HTTP_500" }));
    }
    await settle();
    seen.size = queue.size;
    trace.push(seen);
  }
  return trace;
}

const queueStep: fc.Arbitrary<QueueStep> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      key: fc.option(fc.constantFrom("k1", "k2", "k3"), { nil: undefined }),
      abortable: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("complete" as const), job: fc.nat({ max: 14 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fail" as const), job: fc.nat({ max: 14 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("abort" as const), job: fc.nat({ max: 14 }) }) },
);

const queueSchedule: fc.Arbitrary<QueueSchedule> = fc.record({
  maxQueue: fc.integer({ min: 1, max: 6 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
  steps: fc.array(queueStep, { minLength: 1, maxLength: 30 }),
});

describe("DeliveryQueue against its reference model", () => {
  test("any sequence of adds, completions, failures and aborts starts and settles the same jobs at the same steps", async () => {
    await fc.assert(
      fc.asyncProperty(queueSchedule, async (schedule) => {
        expect(await queueTrace(schedule)).toEqual(modelTrace(schedule));
      }),
      propertyOptions(
        "any sequence of adds, completions, failures and aborts starts and settles the same jobs at",
        { numRuns: 200 },
      ),
    );
  });

  // Sequences on which a wrong queue (one letting an alert_key's jobs overtake, one holding maxQueue + 1) differed.
  test.each<[string, QueueSchedule]>([
    [
      "a failed job lets the next of its key start, not before",
      {
        maxQueue: 2,
        concurrency: 2,
        steps: [
          { kind: "add", key: "k2", abortable: false },
          { kind: "add", key: "k2", abortable: false },
          { kind: "fail", job: 0 },
        ],
      },
    ],
    [
      "a full queue refuses the next add",
      {
        maxQueue: 1,
        concurrency: 1,
        steps: [
          { kind: "add", key: undefined, abortable: false },
          { kind: "add", key: undefined, abortable: false },
        ],
      },
    ],
    [
      "a job freed by the end of its key's earlier job starts before younger jobs that were free all along",
      {
        maxQueue: 6,
        concurrency: 2,
        steps: [
          { kind: "add", key: "k1", abortable: false },
          { kind: "add", key: "k1", abortable: false },
          { kind: "add", key: undefined, abortable: false },
          { kind: "add", key: undefined, abortable: false },
          { kind: "complete", job: 0 },
        ],
      },
    ],
    [
      "an aborted job waiting behind its key is skipped, and the next of its key still waits its turn",
      {
        maxQueue: 6,
        concurrency: 2,
        steps: [
          { kind: "add", key: "k1", abortable: false },
          { kind: "add", key: "k1", abortable: true },
          { kind: "add", key: "k1", abortable: false },
          { kind: "add", key: undefined, abortable: false },
          { kind: "add", key: undefined, abortable: false },
          { kind: "abort", job: 1 },
          { kind: "complete", job: 0 },
          { kind: "complete", job: 3 },
        ],
      },
    ],
  ])("%s", async (_, schedule) => {
    expect(await queueTrace(schedule)).toEqual(modelTrace(schedule));
  });
});
