import { FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";

interface Job {
  /** Jobs with the same order key run one at a time, in the order they were added. */
  orderKey: string | undefined;
  /** Lets the job run. */
  start: () => void;
}

/** What `flush` reports: how many of the events queued when it was called were delivered, and how many failed. */
export interface FlushResult {
  delivered: number;
  failed: number;
}

/**
 * A bounded work queue: at most `concurrency` jobs run at once, at most `maxQueue` are held (queued or running),
 * and jobs sharing an order key (an alert_key) never overtake each other, so a recovery never lands before its alert.
 * A job still waiting when its signal aborts leaves the queue at once and never runs.
 *
 * @example
 * ```ts
 * const queue = new DeliveryQueue<string>(10_000, 16, (busy) => console.log(busy ? "work pending" : "drained"));
 * await queue.add("disk-db-1", async () => "sent", AbortSignal.timeout(5000));
 * ```
 */
export class DeliveryQueue<Result> {
  readonly #maxQueue: number;
  readonly #concurrency: number;
  readonly #onBusyChange: ((busy: boolean) => void) | undefined;
  readonly #waiting: Job[] = [];
  readonly #runningKeys = new Set<string>();
  #running = 0;
  /** One promise per job not yet settled, resolving to whether it was delivered. */
  readonly #unsettled = new Set<Promise<boolean>>();

  /**
   * @param maxQueue jobs held at most (queued and running)
   * @param concurrency jobs running at once
   * @param onBusyChange told `true` when the queue stops being empty and `false` when it is empty again
   */
  constructor(maxQueue: number, concurrency: number, onBusyChange?: (busy: boolean) => void) {
    this.#maxQueue = maxQueue;
    this.#concurrency = concurrency;
    this.#onBusyChange = onBusyChange;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  /**
   * Adds a job; rejects at once with a `QueueFull` error when the queue is full (nothing is dropped silently), and
   * with a `FlashdutyAbortError` when `signal` is already aborted or aborts while the job waits for its turn (the
   * job is then removed and never run). Once running, the job itself is responsible for its signal.
   */
  add(orderKey: string | undefined, run: () => Promise<Result>, signal?: AbortSignal): Promise<Result> {
    if (signal?.aborted) return Promise.reject(new FlashdutyAbortError(undefined, { cause: signal.reason }));
    if (this.size >= this.#maxQueue) {
      return Promise.reject(
        new FlashdutyError(
          `the delivery queue is full (${this.#maxQueue} events queued or in flight): await flush() or raise maxQueue`,
          { code: "QueueFull" },
        ),
      );
    }
    return new Promise<Result>((resolve, reject) => {
      // Replaced at once: a promise's executor runs before its constructor returns.
      let markSettled: (delivered: boolean) => void = () => {};
      const settled = new Promise<boolean>((done) => {
        markSettled = done;
      });
      this.#unsettled.add(settled);
      const onAbort = () => {
        const index = this.#waiting.indexOf(job);
        if (index === -1) return;
        this.#waiting.splice(index, 1);
        this.#unsettled.delete(settled);
        markSettled(false);
        // Its removal may let nothing else run (it held no slot), but it may have emptied the queue.
        this.#pump();
        reject(new FlashdutyAbortError(undefined, { cause: signal?.reason }));
      };
      const finish = (delivered: boolean) => {
        this.#running--;
        if (orderKey !== undefined) this.#runningKeys.delete(orderKey);
        this.#unsettled.delete(settled);
        markSettled(delivered);
        this.#pump();
      };
      const job: Job = {
        orderKey,
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          // Counted before the caller hears of the outcome, so `size` and the queue's room are right by then.
          Promise.resolve()
            .then(run)
            .then(
              (value) => {
                finish(true);
                resolve(value);
              },
              (error: unknown) => {
                finish(false);
                reject(error);
              },
            );
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const wasEmpty = this.size === 0;
      this.#waiting.push(job);
      if (wasEmpty) this.#onBusyChange?.(true);
      this.#pump();
    });
  }

  #pump(): void {
    for (let index = 0; this.#running < this.#concurrency; ) {
      const job = this.#waiting[index];
      if (job === undefined) break;
      const { orderKey, start } = job;
      // An earlier job of this alert is still running: this one waits, and so do later ones of the same key.
      if (orderKey !== undefined && this.#runningKeys.has(orderKey)) {
        index++;
        continue;
      }
      this.#waiting.splice(index, 1);
      this.#running++;
      if (orderKey !== undefined) this.#runningKeys.add(orderKey);
      start();
    }
    if (this.size === 0) this.#onBusyChange?.(false);
  }

  /**
   * Resolves when every job added before the call has settled (jobs added meanwhile are not waited for, so a
   * steady stream of work cannot keep it pending), with how many of those were delivered and how many failed.
   */
  async flush(): Promise<FlushResult> {
    const outcomes = await Promise.all([...this.#unsettled]);
    const delivered = outcomes.filter(Boolean).length;
    return { delivered, failed: outcomes.length - delivered };
  }
}
