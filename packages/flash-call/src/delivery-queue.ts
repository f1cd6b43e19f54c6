import { FlashdutyError } from "@flash-call/errors";

interface Job<Result> {
  /** Jobs with the same order key run one at a time, in the order they were added. */
  orderKey: string | undefined;
  run: () => Promise<Result>;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/** The counts `flush` reports since the previous flush. */
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
  #idle: (() => void)[] = [];
  #delivered = 0;
  #failed = 0;

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
    return new Promise<Result>((resolve, reject) => {
      this.#waiting.push({ orderKey, run, resolve, reject });
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
    if (this.size === 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const wake of waiters) wake();
    }
  }

  #start(job: Job<Result>): void {
    this.#running++;
    if (job.orderKey !== undefined) this.#runningKeys.add(job.orderKey);
    job
      .run()
      .then(
        (result) => {
          this.#delivered++;
          job.resolve(result);
        },
        (error: unknown) => {
          this.#failed++;
          job.reject(error);
        },
      )
      .finally(() => {
        this.#running--;
        if (job.orderKey !== undefined) this.#runningKeys.delete(job.orderKey);
        this.#pump();
      });
  }

  /** Resolves when every job added so far has settled, with the counts since the previous flush. */
  async flush(): Promise<FlushResult> {
    if (this.size > 0) await new Promise<void>((wake) => this.#idle.push(wake));
    const result = { delivered: this.#delivered, failed: this.#failed };
    this.#delivered = 0;
    this.#failed = 0;
    return result;
  }
}
