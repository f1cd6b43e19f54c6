import { FlashdutyError } from "@flash-call/errors";

interface Job<Result> {
  /** Jobs with the same order key run one at a time, in the order they were added. */
  orderKey: string | undefined;
  run: () => Promise<Result>;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
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
  readonly #waiting: Job<Result>[] = [];
  readonly #runningKeys = new Set<string>();
  #running = 0;
  /** One promise per job not yet settled, resolving to whether it was delivered. */
  readonly #unsettled = new Set<Promise<boolean>>();

  constructor(
    readonly maxQueue: number,
    readonly concurrency: number,
  ) {}

  /** Jobs queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  /** Adds a job; rejects at once with a `QueueFull` error when the queue is full (nothing is dropped silently). */
  add(orderKey: string | undefined, run: () => Promise<Result>): Promise<Result> {
    if (this.size >= this.maxQueue) {
      return Promise.reject(
        new FlashdutyError(
          `the delivery queue is full (${this.maxQueue} events queued or in flight): await flush() or raise maxQueue`,
          { code: "QueueFull", retryable: true },
        ),
      );
    }
    let settle!: (delivered: boolean) => void;
    const settled = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.#unsettled.add(settled);
    return new Promise<Result>((resolve, reject) => {
      const done = (delivered: boolean) => {
        this.#unsettled.delete(settled);
        settle(delivered);
      };
      this.#waiting.push({
        orderKey,
        run,
        resolve: (result) => {
          done(true);
          resolve(result);
        },
        reject: (error) => {
          done(false);
          reject(error);
        },
      });
      this.#pump();
    });
  }

  #pump(): void {
    let blocked: Set<string> | undefined;
    for (let index = 0; index < this.#waiting.length && this.#running < this.concurrency; ) {
      const job = this.#waiting[index]!;
      const key = job.orderKey;
      if (key !== undefined && (this.#runningKeys.has(key) || blocked?.has(key))) {
        // An earlier job of this alert is still pending: this one waits, and so do later ones of the same key.
        blocked ??= new Set();
        blocked.add(key);
        index++;
        continue;
      }
      this.#waiting.splice(index, 1);
      this.#start(job);
    }
  }

  #start(job: Job<Result>): void {
    this.#running++;
    if (job.orderKey !== undefined) this.#runningKeys.add(job.orderKey);
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#running--;
        if (job.orderKey !== undefined) this.#runningKeys.delete(job.orderKey);
        this.#pump();
      });
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
