import { FlashdutyConfigError, type Pacer, RateLimiter, type Release, sleep } from "flash-call";
import { type RedisLikeClient, type ScriptRunner, scriptRunner } from "./script-runner.js";

/** Settings of {@link createRedisPacer}. */
export interface RedisPacerOptions {
  /** Requests per second per key, across every process. @default 100 (Flashduty's limit) */
  perSecond?: number;
  /** Requests per minute per key, across every process. @default 1000 (Flashduty's limit) */
  perMinute?: number;
  /** Prefix of the Redis keys (`<prefix>:{<key id>}:sent` and `:pause`). @default "flash-call:pace" */
  prefix?: string;
  /**
   * Milliseconds a store call may take before the store counts as down. A trade: a Redis answering slower than
   * this (but answering) sends every process to its `fallbackShare`; one answering just under it adds that much
   * to each push; the push that finds Redis gone waits this long once (while it is down, nothing waits for it).
   * 500 ms, not less: processes started together on a busy host starve each other and Redis of CPU for hundreds
   * of milliseconds while Redis is up (see the README). At most 2147483647, the longest timer. @default 500
   */
  timeoutMs?: number;
  /**
   * The share of the budget each process paces itself at while the store is down, counting what it sent through
   * the store in the last minute: a fleet of 1/share processes or fewer stays within the limit (set it to 1/N for
   * N processes). @default 0.25
   */
  fallbackShare?: number;
  /**
   * Milliseconds paced locally at least, once the store failed. Every local slot is also written to the store
   * without waiting; the first such write answered in time after this long brings shared pacing back. @default 1000
   */
  retryStoreMs?: number;
  /**
   * Milliseconds a slot counts as in flight at most: a process that dies holding one frees it after this long.
   * Keep it above the SDK's `timeoutMs`; at most a day (86400000). @default 30000
   */
  leaseMs?: number;
  /** Milliseconds between asks while every slot is held by a request still in flight; at most 60000. @default 10 */
  pollMs?: number;
  /** Where the two lines (store down, store back) go. @default console */
  logger?: { warn?(message: string): void; info?(message: string): void };
}

/** A pacer shared through Redis, with how it is doing. */
export interface RedisPacer extends Pacer {
  /** Whether it is pacing locally at `fallbackShare` because the store did not answer in time. */
  readonly fallingBack: boolean;
}

/** Why a store call failed: its code or class, never its message (which may quote a URL). */
function reasonOf(error: unknown): string {
  if (error === TIMED_OUT) return "no answer in time";
  if (error === INCREDIBLE) return "unexpected reply";
  if (error === BACKLOGGED) return "too many calls unanswered";
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : ((error as Error | null)?.name ?? "error");
}

const TIMED_OUT = Symbol("timed out");
/** The store answered an acquire with what is no grant and no credible wait. */
const INCREDIBLE = Symbol("unexpected reply");

/**
 * Whether `error` is the store's own error reply (`ERR …`, `WRONGTYPE …`, a script's error): Redis prefixes them
 * with a word in capitals, which no client's connection error starts with. The store is up and answering then.
 */
const isErrorReply = (error: unknown) =>
  /^[A-Z]{2,} /.test(String((error as { message?: unknown } | null)?.message));

/**
 * A whole number the store answered: an integer reply (a number, or a bigint from a client reading RESP3 big
 * numbers) or a string of decimal digits; anything else (a nested array, `"0x1"`, `""`, `true`) is `NaN`, never
 * coerced into a grant or a wait.
 */
function wholeReply(value: unknown): number {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : Number.NaN;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^-?\d{1,16}$/.test(value)) return Number(value);
  return Number.NaN;
}

/** The script's reply to an acquire, `{granted, wait ms}`, or `NaN`s when it has another shape. */
const acquireReply = (reply: unknown): [number, number] =>
  Array.isArray(reply) && reply.length === 2
    ? [wholeReply(reply[0]), wholeReply(reply[1])]
    : [Number.NaN, Number.NaN];

/** Milliseconds on a clock that never steps back (as the wall clock does when NTP sets it), where there is one. */
const monotonicNow = (): number => (globalThis.performance ?? Date).now();

/**
 * Resolves when `ahead` settles (it never rejects), or rejects with the abort reason as soon as `signal` aborts: a
 * waiter queued behind one held for a long pause must not wait it out to learn it was aborted.
 */
function untilTurn(ahead: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return ahead.then(() => {});
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const aborted = () => reject(signal.reason);
    signal.addEventListener("abort", aborted, { once: true });
    void ahead.then(() => {
      signal.removeEventListener("abort", aborted);
      resolve();
    });
  });
}

/** Runs `then` after the I/O already received is handled: `setImmediate` where there is one (Node, Bun, Deno). */
const afterIo = (then: () => void) => {
  const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  if (immediate === undefined) setTimeout(then, 0);
  else immediate(then);
};

/** A whole number of at least `least`, or a config error naming the option. */
function wholeOption(
  value: number | undefined,
  fallback: number,
  name: string,
  least: number,
  most = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < least || value > most) {
    throw new FlashdutyConfigError(
      most === Number.MAX_SAFE_INTEGER
        ? `${name} must be a whole number, ${least} or more.`
        : `${name} must be a whole number from ${least} to ${most}.`,
    );
  }
  return value;
}

/** The longest timer a runtime keeps: a longer one fires at once, and every store call would time out. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/**
 * The longest lease: a process that dies holding a slot holds it this long, for the whole fleet. A day is far above
 * any push's timeout.
 */
const LONGEST_LEASE_MS = 86_400_000;

/**
 * The most store calls left unanswered at once. Clients queue a command until it is answered, without a bound: a
 * store that holds the connection but never answers would otherwise gain two queued writes per push for as long
 * as it hangs. Past this many, writes that nothing waits for (a local slot, its release) are not sent: the store
 * is not answering, and a slot it never learns of ages out of everyone's windows within a minute anyway.
 */
const MOST_UNANSWERED_CALLS = 1000;

/** Why a write was not sent: too many calls are unanswered already. */
const BACKLOGGED = Symbol("backlogged");

/** The per-minute window: no wait for an answered slot to age out is longer. */
const WINDOW_MS = 60_000;
/**
 * The longest wait a store's answer is believed: a window, or a pause (a 429's Retry-After, which a push honours up
 * to its `maxRetryAfterMs`, a minute by default, set by users to hours at most). A store asking for more than a
 * day (a broken or hostile one: 23 days) is treated as failed, and pacing goes local, rather than holding every
 * push for as long as it says.
 */
const LONGEST_CREDIBLE_WAIT_MS = 24 * 60 * 60_000;

/**
 * A pacer every process shares through one Redis (or Valkey): both of Flashduty's windows (100 per second, 1000
 * per minute by default) are checked and taken together, atomically, per integration key, by one Lua script on the
 * Redis server's clock (EVALSHA, falling back to EVAL). A refused attempt takes no slot; a request holds its slot
 * until its answer arrives; a 429 anywhere pauses every process sharing the key. The store only ever sees a hash of
 * the key (the SDK's key id).
 *
 * Redis down is not an outage: when a store call fails or takes longer than `timeoutMs`, the pacer paces locally at
 * `fallbackShare` of the budget without waiting for the store again, says so once through `logger.warn`, takes the
 * store back when it answers the local slots' writes in time (at least `retryStoreMs` later), and says once through
 * `logger.info` when it is back.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { createFlashCall } from "flash-call";
 * import { createRedisPacer } from "@flash-call/redis";
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).on("error", () => {}).connect();
 * const flashduty = createFlashCall({ rateLimit: { pacer: createRedisPacer(redis) } });
 * ```
 */
export function createRedisPacer(client: RedisLikeClient, options: RedisPacerOptions = {}): RedisPacer {
  const run: ScriptRunner = scriptRunner(client);
  const perSecond = wholeOption(options.perSecond, 100, "perSecond", 1);
  const perMinute = wholeOption(options.perMinute, 1000, "perMinute", 1);
  const timeoutMs = wholeOption(options.timeoutMs, 500, "timeoutMs", 1, LONGEST_TIMER_MS);
  const retryStoreMs = wholeOption(options.retryStoreMs, 1000, "retryStoreMs", 0);
  const leaseMs = wholeOption(options.leaseMs, 30_000, "leaseMs", 1, LONGEST_LEASE_MS);
  // No wait for a slot is longer than the per-minute window, so no poll between asks needs to be either.
  const pollMs = String(wholeOption(options.pollMs, 10, "pollMs", 1, WINDOW_MS));
  const share = options.fallbackShare ?? 0.25;
  if (!(share > 0 && share <= 1))
    throw new FlashdutyConfigError("fallbackShare must be over 0 and at most 1.");
  const prefix = options.prefix ?? "flash-call:pace";
  const logger = options.logger ?? globalThis.console;
  const local = new RateLimiter({
    perSecond: Math.max(1, Math.floor(perSecond * share)),
    perMinute: Math.max(1, Math.floor(perMinute * share)),
  });
  const limits = [String(perSecond), String(perMinute), String(leaseMs), pollMs];
  // Slot ids are unique across processes: a random process id and a counter.
  const processId = globalThis.crypto.randomUUID();
  let slots = 0;
  let down = false;
  // Down because the store answers acquires incredibly: its writes answered prove nothing, only an acquire does.
  let incredible = false;
  let retryStoreAt = 0;
  const chains = new Map<string, Promise<unknown>>();
  let unanswered = 0;

  // Ready before the first push: the script's SHA-1 computed and the script loaded into Redis (EVALSHA, NOSCRIPT,
  // EVAL), so that the first acquire is one round trip like every other, not a cold start over `timeoutMs`.
  run([`${prefix}:{warm-up}:sent`, `${prefix}:{warm-up}:pause`], ["cancel", "-"]).catch(() => {});

  const keysOf = (keyId: string) => [`${prefix}:{${keyId}}:sent`, `${prefix}:{${keyId}}:pause`] as const;

  /**
   * Runs the script, or rejects after `timeoutMs`; a late answer or failure is ignored. When the timer fires, the
   * answer is given one more turn of the event loop (its I/O is read after timers): a process whose own loop was
   * busy past the bound must not take an answer already waiting on the socket for a store that is down. Unless
   * `keepsAlive`, the timer does not keep the process alive: a process done with its pushes exits at once.
   */
  const call = (keyId: string, args: readonly string[], keepsAlive = true): Promise<unknown> => {
    unanswered++;
    const reply = run(keysOf(keyId), args);
    const answeredOrFailed = () => void unanswered--;
    reply.then(answeredOrFailed, answeredOrFailed);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => afterIo(() => reject(TIMED_OUT)), timeoutMs);
    });
    if (!keepsAlive) (timer as { unref?: () => void } | undefined)?.unref?.();
    return Promise.race([reply, late]).finally(() => clearTimeout(timer));
  };

  /**
   * A call nothing waits for: not sent while too many calls are unanswered (see MOST_UNANSWERED_CALLS). While the
   * store is down, waiting for its answer is no reason to stay alive (a short-lived process, as the CLI's, would
   * linger `timeoutMs` after its last push); while it is up, the answer comes in a few milliseconds.
   */
  const write = (keyId: string, args: readonly string[]): Promise<unknown> =>
    unanswered >= MOST_UNANSWERED_CALLS ? Promise.reject(BACKLOGGED) : call(keyId, args, !down);

  const fellBack = (error: unknown) => {
    retryStoreAt = monotonicNow() + retryStoreMs;
    incredible = error === INCREDIBLE;
    if (down) return;
    down = true;
    logger?.warn?.(
      `[flash-call/redis] the pacing store failed (${reasonOf(error)}): pacing locally at ${share * 100}% of the budget until it answers again`,
    );
  };
  const answered = () => {
    incredible = false;
    if (!down) return;
    down = false;
    logger?.info?.("[flash-call/redis] the pacing store answers again: pacing is shared again");
  };

  /** A slot from the store, or `undefined` when the store is down or failed (the caller then paces locally). */
  const storeSlot = async (keyId: string, signal: AbortSignal | undefined): Promise<Release | undefined> => {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      // While it is down no push waits for it: the local slots' writes find out when it is back (localSlot). A
      // store answering incredibly answers writes too: it is asked again, once per retryStoreMs, as it answers fast.
      if (down && !(incredible && monotonicNow() >= retryStoreAt)) return undefined;
      const slot = `${processId}:${++slots}`;
      let reply: unknown;
      try {
        reply = await call(keyId, ["acquire", slot, ...limits]);
      } catch (error) {
        // The script may still run once the store catches up: the slot is given back behind it, in order.
        fellBack(error);
        if (error === TIMED_OUT) write(keyId, ["cancel", slot]).catch(() => {});
        // Answered with an error (a key of another type, or a value no number, written by someone else): its writes
        // may well succeed meanwhile, so only an acquire tells when it is fixed.
        if (isErrorReply(error)) incredible = true;
        return undefined;
      }
      const [granted, wait] = acquireReply(reply);
      if (granted === 1) {
        answered();
        // Counted locally too: should the store fail, local pacing starts from what this process really sent.
        const releaseLocal = local.record(keyId);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          releaseLocal();
          // A failed release is not waited for: the slot then ages out after its lease.
          write(keyId, ["release", slot]).catch(() => {});
        };
      }
      if (granted !== 0 || !(wait >= 0 && wait <= LONGEST_CREDIBLE_WAIT_MS)) {
        fellBack(INCREDIBLE);
        return undefined;
      }
      answered();
      // Asked again after at most a window: a store corrected meanwhile (a pause lifted by hand) is heard.
      await sleep(Math.min(Math.max(1, wait), WINDOW_MS), signal);
    }
  };

  /**
   * A slot of the local pacer, also written to the store without waiting: a store that was only slow then counts
   * it for the other processes; a store that is down never hears of it, and nothing waits for it. The write is
   * also the probe: answered in time, once `retryStoreMs` has passed, it brings shared pacing back.
   */
  const localSlot = async (keyId: string, signal: AbortSignal | undefined): Promise<Release> => {
    const releaseLocal = await local.acquire(keyId, signal);
    const slot = `${processId}:${++slots}`;
    write(keyId, ["take", slot, String(leaseMs)]).then(() => {
      if (!incredible && monotonicNow() >= retryStoreAt) answered();
    }, fellBack);
    return () => {
      releaseLocal();
      write(keyId, ["release", slot]).catch(() => {});
    };
  };

  const acquireInTurn = async (keyId: string, signal: AbortSignal | undefined): Promise<Release> =>
    (await storeSlot(keyId, signal)) ?? localSlot(keyId, signal);

  return {
    get fallingBack() {
      return down;
    },
    acquire(keyId, signal) {
      // One waiter per key and process asks the store at a time, in order: the others wait their turn here, and
      // one that gives up meanwhile leaves at once. The next one's turn still comes only after the one ahead.
      const ahead = chains.get(keyId) ?? Promise.resolve();
      const turn = untilTurn(ahead, signal).then(() => acquireInTurn(keyId, signal));
      const settled = Promise.allSettled([ahead, turn]).then(() => {});
      chains.set(keyId, settled);
      void settled.then(() => chains.get(keyId) === settled && chains.delete(keyId));
      return turn;
    },
    async pause(keyId, ms) {
      local.pause(keyId, ms);
      // The store pauses the fleet at most as long as its acquires are believed: longer (as with maxRetryAfterMs
      // raised without bound) would be a `PX` Redis refuses, and no pause at all for the other processes.
      const whole = Math.min(Math.ceil(ms), LONGEST_CREDIBLE_WAIT_MS);
      if (!(whole >= 1)) return;
      // While the store is down the pause is written without waiting, as the local slots are.
      if (down) {
        write(keyId, ["pause", String(whole)]).catch(() => {});
        return;
      }
      try {
        await call(keyId, ["pause", String(whole)]);
        answered();
      } catch (error) {
        fellBack(error);
      }
    },
  };
}
