import { FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";

/** Where a job is: waiting behind an earlier job of its order key, free to start, running, or gone (aborted or settled). */
type Place = "chained" | "ready" | "running" | "gone";

/**
 * One job, as small as it can be while it waits: the promise machinery of its run is made only when it starts, and
 * a waiting job holds no closure of the queue's (an abort listener only when it was given a signal).
 */
interface Job<Result> {
  /** Its place in the order jobs were added: jobs free to start start oldest first. */
  readonly seq: number;
  /** Jobs with the same order key run one at a time, in the order they were added. */
  readonly orderKey: string | undefined;
  run: (() => Promise<Result>) | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
  place: Place;
  /** The next job in the same list: the jobs free to start, or those waiting behind the same order key. */
  next: Job<Result> | undefined;
}

/** A first-in first-out list threaded through the jobs' `next`: adding and taking the oldest are O(1). */
interface JobList<Result> {
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

const append = <Result>(list: JobList<Result>, job: Job<Result>): void => {
  job.next = undefined;
  if (list.tail === undefined) list.head = job;
  else list.tail.next = job;
  list.tail = job;
};

const takeFirst = <Result>(list: JobList<Result>): Job<Result> | undefined => {
  const job = list.head;
  if (job === undefined) return undefined;
  list.head = job.next;
  if (list.head === undefined) list.tail = undefined;
  job.next = undefined;
  return job;
};

/**
 * A bounded work queue: at most `concurrency` jobs run at once, at most `maxQueue` are held (queued or running),
 * and jobs sharing an order key (an alert_key) never overtake each other, so a recovery never lands before its alert.
 * A job still waiting when its signal aborts leaves the queue at once and never runs.
 *
 * Every operation costs the same however long the queue is: jobs free to start are a first-in first-out list (plus
 * a small heap, by age, of jobs freed when an earlier job of their key ended), jobs behind a running one of their
 * key wait in that key's own list, and an aborted job is only marked and skipped when its turn comes.
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
  /** Jobs free to start, in the order they were added. */
  readonly #fresh: JobList<Result> = { head: undefined, tail: undefined };
  /** Jobs freed when the job of their key before them ended: older than some fresh ones, so a heap by `seq`. */
  readonly #freed: Job<Result>[] = [];
  /** By order key with a job ready or running: the jobs of that key waiting behind it. */
  readonly #chains = new Map<string, JobList<Result>>();
  #waiting = 0;
  #running = 0;
  #nextSeq = 0;
  /** Jobs added and not settled yet. */
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
    return this.#waiting + this.#running;
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
        place: "chained",
        next: undefined,
      };
    });
    if (signal !== undefined) {
      job.onAbort = () => this.#abort(job);
      signal.addEventListener("abort", job.onAbort, { once: true });
    }
    const wasEmpty = this.size === 0;
    this.#waiting++;
    this.#unsettled++;
    const chain = orderKey === undefined ? undefined : this.#chains.get(orderKey);
    if (chain !== undefined) append(chain, job);
    else {
      if (orderKey !== undefined) this.#chains.set(orderKey, { head: undefined, tail: undefined });
      job.place = "ready";
      append(this.#fresh, job);
    }
    if (wasEmpty) this.#onBusyChange?.(true);
    this.#pump();
    return promise;
  }

  #abort(job: Job<Result>): void {
    if (job.place !== "chained" && job.place !== "ready") return;
    const wasReady = job.place === "ready";
    // Marked, not unlinked: whichever list holds it skips it when its turn comes.
    job.place = "gone";
    job.run = undefined;
    this.#waiting--;
    if (wasReady && job.orderKey !== undefined) this.#freeNext(job.orderKey);
    this.#settled(job.seq, false);
    // Its removal may let nothing else run (it held no slot), but it may have emptied the queue.
    this.#pump();
    job.reject(new FlashdutyAbortError(undefined, { cause: job.signal?.reason }));
    job.signal = undefined;
  }

  /** The job of `orderKey` that was ready or running is gone: the next one waiting behind it may start. */
  #freeNext(orderKey: string): void {
    const chain = this.#chains.get(orderKey);
    if (chain === undefined) return;
    for (let job = takeFirst(chain); job !== undefined; job = takeFirst(chain)) {
      if (job.place === "gone") continue;
      job.place = "ready";
      pushHeap(this.#freed, job);
      return;
    }
    this.#chains.delete(orderKey);
  }

  /** The oldest job free to start, or undefined; jobs aborted while they waited are dropped on the way. */
  #takeReady(): Job<Result> | undefined {
    while (this.#fresh.head?.place === "gone") takeFirst(this.#fresh);
    while (this.#freed[0]?.place === "gone") popHeap(this.#freed);
    const fresh = this.#fresh.head;
    const freed = this.#freed[0];
    if (freed !== undefined && (fresh === undefined || freed.seq < fresh.seq)) return popHeap(this.#freed);
    return takeFirst(this.#fresh);
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const job = this.#takeReady();
      if (job === undefined) break;
      this.#start(job);
    }
    if (this.size === 0) this.#onBusyChange?.(false);
  }

  #start(job: Job<Result>): void {
    job.place = "running";
    this.#waiting--;
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
    job.place = "gone";
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
