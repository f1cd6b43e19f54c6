import { FlashdutyError } from "@flash-call/errors";

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
 */
export class DeliveryQueue<Result> {
  readonly #maxQueue: number;
  readonly #concurrency: number;
  readonly #waiting: Job[] = [];
  readonly #runningKeys = new Set<string>();
  #running = 0;
  /** One promise per job not yet settled, resolving to whether it was delivered. */
  readonly #unsettled = new Set<Promise<boolean>>();

  constructor(maxQueue: number, concurrency: number) {
    this.#maxQueue = maxQueue;
    this.#concurrency = concurrency;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  /** Adds a job; rejects at once with a `QueueFull` error when the queue is full (nothing is dropped silently). */
  add(orderKey: string | undefined, run: () => Promise<Result>): Promise<Result> {
    if (this.size >= this.#maxQueue) {
      return Promise.reject(
        new FlashdutyError(
          `the delivery queue is full (${this.#maxQueue} events queued or in flight): await flush() or raise maxQueue`,
          { code: "QueueFull", retryable: true },
        ),
      );
    }
    let start!: () => void;
    const result = new Promise<void>((resolve) => {
      start = resolve;
    }).then(run);
    const settled: Promise<boolean> = result
      .then(
        () => true,
        () => false,
      )
      .then((delivered) => {
        this.#running--;
        if (orderKey !== undefined) this.#runningKeys.delete(orderKey);
        this.#unsettled.delete(settled);
        this.#pump();
        return delivered;
      });
    this.#unsettled.add(settled);
    this.#waiting.push({ orderKey, start });
    this.#pump();
    return result;
  }

  #pump(): void {
    for (let index = 0; index < this.#waiting.length && this.#running < this.#concurrency; ) {
      const { orderKey, start } = this.#waiting[index]!;
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
