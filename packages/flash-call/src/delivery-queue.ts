import { CLIENT_ERROR_CODES, FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";

/** Where a job is: 0 behind an earlier job of its order key, 1 free to start, 2 running, 3 gone (aborted or ended). */
type Place = 0 | 1 | 2 | 3;

/**
 * One job, as small as it can be while it waits: the promise machinery of its run is made only when it starts, and
 * a waiting job holds no closure of the queue's (an abort listener only when it was given a signal).
 */
interface Job<Result> {
  /** Its place in the order jobs were added: jobs free to start start oldest first. */
  seq: number;
  /** Jobs with the same order key run one at a time, in the order they were added. */
  orderKey: string | undefined;
  run: (() => Promise<Result>) | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
  place: Place;
  /** The next job waiting behind the same order key. */
  next: Job<Result> | undefined;
}

/** The jobs waiting behind the running (or free) job of one order key, oldest first, threaded through `next`. */
interface Chain<Result> {
  head: Job<Result> | undefined;
  tail: Job<Result> | undefined;
}

/** A `flush()` call still waiting: for the jobs added before it (`seq < upTo`), how many are left and how they went. */
interface FlushWaiter {
  upTo: number;
  left: number;
  delivered: number;
  failed: number;
  done: (result: FlushResult) => void;
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
 * Every operation costs the same (or a logarithm) however long the queue is: jobs free to start are in a heap by
 * age (a job freed when the earlier job of its key ends is older than jobs added since), jobs behind a running one
 * of their key wait in that key's own list, and an aborted job is only marked and skipped when its turn comes.
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
  /** Jobs free to start, a heap by `seq`: added in order, so adding one is O(1) but for a job its key freed. */
  readonly #ready: Job<Result>[] = [];
  /** By order key with a job free or running: the jobs of that key waiting behind it. */
  readonly #chains = new Map<string, Chain<Result>>();
  #running = 0;
  #nextSeq = 0;
  /** Jobs added and not settled yet: waiting or running. */
  #unsettled = 0;
  readonly #flushes: FlushWaiter[] = [];

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
    return this.#unsettled;
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
          { code: CLIENT_ERROR_CODES.queueFull },
        ),
      );
    }
    let job!: Job<Result>;
    const promise = new Promise<Result>((resolve, reject) => {
      job = {
        seq: this.#nextSeq++,
        orderKey,
        run,
        signal,
        onAbort: undefined,
        resolve,
        reject,
        place: 0,
        next: undefined,
      };
    });
    if (signal !== undefined) {
      job.onAbort = () => this.#abort(job);
      signal.addEventListener("abort", job.onAbort, { once: true });
    }
    const wasEmpty = this.size === 0;
    this.#unsettled++;
    const chain = orderKey === undefined ? undefined : this.#chains.get(orderKey);
    if (chain === undefined) {
      if (orderKey !== undefined) this.#chains.set(orderKey, { head: undefined, tail: undefined });
      this.#free(job);
    } else if (chain.tail === undefined) chain.head = chain.tail = job;
    else chain.tail = chain.tail.next = job;
    if (wasEmpty) this.#onBusyChange?.(true);
    this.#pump();
    return promise;
  }

  #abort(job: Job<Result>): void {
    if (job.place > 1) return;
    const wasFree = job.place === 1;
    // Marked, not unlinked: whichever list holds it skips it when its turn comes.
    job.place = 3;
    job.run = undefined;
    if (wasFree && job.orderKey !== undefined) this.#freeNext(job.orderKey);
    this.#settled(job.seq, false);
    // Its removal may let nothing else run (it held no slot), but it may have emptied the queue.
    this.#pump();
    job.reject(new FlashdutyAbortError(undefined, { cause: job.signal?.reason }));
    job.signal = undefined;
  }

  #free(job: Job<Result>): void {
    job.place = 1;
    pushHeap(this.#ready, job);
  }

  /** The job of `orderKey` that was free or running is gone: the next one waiting behind it may start. */
  #freeNext(orderKey: string): void {
    const chain = this.#chains.get(orderKey) as Chain<Result>;
    for (let job = chain.head; job !== undefined; job = job.next) {
      chain.head = job.next;
      if (job.place === 3) continue;
      if (chain.head === undefined) chain.tail = undefined;
      job.next = undefined;
      this.#free(job);
      return;
    }
    this.#chains.delete(orderKey);
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const job = popHeap(this.#ready);
      if (job === undefined) break;
      // Aborted while it waited: already counted out.
      if (job.place === 1) this.#start(job);
    }
    if (this.size === 0) this.#onBusyChange?.(false);
  }

  #start(job: Job<Result>): void {
    job.place = 2;
    this.#running++;
    if (job.onAbort !== undefined) job.signal?.removeEventListener("abort", job.onAbort);
    job.onAbort = undefined;
    job.signal = undefined;
    const run = job.run as () => Promise<Result>;
    job.run = undefined;
    // Counted before the caller hears of the outcome, so `size` and the queue's room are right by then.
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          this.#finish(job, true);
          job.resolve(value);
        },
        (error: unknown) => {
          this.#finish(job, false);
          job.reject(error);
        },
      );
  }

  #finish(job: Job<Result>, delivered: boolean): void {
    job.place = 3;
    this.#running--;
    if (job.orderKey !== undefined) this.#freeNext(job.orderKey);
    this.#settled(job.seq, delivered);
    this.#pump();
  }

  /** Counts a settled job in every flush that waits for it, and ends the flushes that wait for nothing more. */
  #settled(seq: number, delivered: boolean): void {
    this.#unsettled--;
    const flushes = this.#flushes;
    let ended = 0;
    for (const waiter of flushes) {
      if (seq >= waiter.upTo) continue;
      waiter.left--;
      if (delivered) waiter.delivered++;
      else waiter.failed++;
      if (waiter.left === 0) ended++;
    }
    // A flush waits for a subset of what every later flush waits for: the ended ones are the first.
    for (const waiter of flushes.splice(0, ended)) {
      waiter.done({ delivered: waiter.delivered, failed: waiter.failed });
    }
  }

  /**
   * Resolves when every job added before the call has settled (jobs added meanwhile are not waited for, so a
   * steady stream of work cannot keep it pending), with how many of those were delivered and how many failed.
   */
  async flush(): Promise<FlushResult> {
    if (this.#unsettled === 0) return { delivered: 0, failed: 0 };
    const left = this.#unsettled;
    return new Promise<FlushResult>((done) => {
      this.#flushes.push({ upTo: this.#nextSeq, left, delivered: 0, failed: 0, done });
    });
  }
}

/** Adds `job` to a binary min-heap ordered by `seq`. */
function pushHeap<Result>(heap: Job<Result>[], job: Job<Result>): void {
  let index = heap.push(job) - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const above = heap[parent] as Job<Result>;
    if (above.seq <= job.seq) break;
    heap[index] = above;
    index = parent;
  }
  heap[index] = job;
}

/** Removes and returns the job with the lowest `seq` of a binary min-heap. */
function popHeap<Result>(heap: Job<Result>[]): Job<Result> | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  let index = 0;
  for (;;) {
    const left = index * 2 + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child =
      right < heap.length && (heap[right] as Job<Result>).seq < (heap[left] as Job<Result>).seq
        ? right
        : left;
    const below = heap[child] as Job<Result>;
    if (below.seq >= last.seq) break;
    heap[index] = below;
    index = child;
  }
  heap[index] = last;
  return top;
}
