import { maskKey } from "@flash-call/errors";
import { RateLimiter } from "./rate-limiter.js";

/** Ends a request's hold on its slot; call it when the response has arrived (or the request failed). */
export type Release = () => void;

/**
 * Where the pacing of every push is decided: the in-process `RateLimiter` by default, or a store every process
 * shares (`createRedisPacer` from `@flash-call/redis`), given as `rateLimit: { pacer }`. A pacer never sees an
 * integration key, only an id of it (see {@link keyIdFor}, the one rule for which id a pacer is given).
 *
 * The rules a pacer must keep: both windows (its own per-second and per-minute limits) are checked and taken
 * together, atomically, per `keyId`; a request holds its slot from `acquire` until its `Release` is called, and
 * only then starts to age out; a refused attempt takes no slot in either window; `pause` holds every request for
 * the key (a 429) for `ms`, wherever it was sent from.
 *
 * @example
 * ```ts
 * const pacer: Pacer = createRedisPacer(redisClient); // from @flash-call/redis
 * const flashduty = createFlashCall({ rateLimit: { pacer } });
 * ```
 */
export interface Pacer {
  /**
   * Resolves with a `Release` when one more request for `keyId` fits; rejects with `signal`'s reason on abort. Any
   * other rejection fails the push with a `FlashdutyConfigError` naming the pacer (see pacerFailed).
   */
  acquire(keyId: string, signal?: AbortSignal): Promise<Release>;
  /** Holds every request for `keyId` for `ms` milliseconds (a 429's `Retry-After`, or its backoff). */
  pause(keyId: string, ms: number): void | Promise<void>;
}

/** Distinct keys whose id is remembered: an instance normally sends with one or a few. */
const REMEMBERED_IDS = 256;
const ids = new Map<string, string | Promise<string>>();

/**
 * The id a pacer that may be shared across processes knows an integration key by (see {@link keyIdFor}): `sha256:` and the first 32 hex characters (128 bits) of the
 * SHA-256 of the key's UTF-8, with Web Crypto (`crypto.subtle`, in Node, Bun, Deno, workerd and secure browser
 * contexts). Where `crypto.subtle` is missing (a page served over plain http), `fnv:` and the key's mask (its 24-bit
 * FNV-1a fingerprint, as `maskKey` shows it): not a cryptographic hash, but the same in every process and no piece
 * of the key. Computed once per distinct key and remembered, so that a push whose key was seen before gets its id
 * without waiting.
 *
 * @example
 * ```ts
 * const id = await keyIdOf(secret); // "sha256:…", never the key
 * ```
 */
export function keyIdOf(key: string): string | Promise<string> {
  const known = ids.get(key);
  if (known !== undefined) return known;
  const fallback = `fnv:${maskKey(key)}`;
  const id: string | Promise<string> =
    globalThis.crypto?.subtle?.digest("SHA-256", new TextEncoder().encode(key)).then(
      (digest) =>
        `sha256:${Array.from(new Uint8Array(digest).slice(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("")}`,
      () => fallback,
    ) ?? fallback;
  if (ids.size >= REMEMBERED_IDS) ids.clear();
  ids.set(key, id);
  if (typeof id !== "string") void id.then((done) => ids.get(key) === id && ids.set(key, done));
  return id;
}

/**
 * Two random 32-bit seeds, drawn at the first local id: a local id is a hash keyed by them, so it means nothing
 * outside this process. Math.random, not Web Crypto: the worst a collision could do is pace two keys as one, and in
 * Node, `crypto` would load its module into every CLI push.
 */
let localSeeds: [number, number] | undefined;

/** `local:` and 64 bits of a hash of the key keyed by this process's seeds: computed, so nothing is kept per key. */
function localIdOf(key: string): string {
  localSeeds ??= [(Math.random() * 2 ** 32) >>> 0, (Math.random() * 2 ** 32) >>> 0];
  let [first, second] = localSeeds;
  for (let index = 0; index < key.length; index++) {
    const unit = key.charCodeAt(index);
    first = Math.imul(first ^ unit, 0x01000193);
    second = Math.imul((second ^ unit) + index, 0x5bd1e995);
  }
  // No finaliser: the ids are compared, never spread over buckets, and a finaliser (a bijection) avoids no collision.
  const half = (hash: number) => (hash >>> 0).toString(16).padStart(8, "0");
  return `local:${half(first)}${half(second)}`;
}

/** The last key a local id was computed for, and the id: an instance normally sends with one key. */
let lastLocal: { key: string; id: string } | undefined;

/**
 * The id a pacer is given for `key`, the one rule: a `RateLimiter` (the default pacer, which lives in this process
 * and shares nothing) is given `local:` and a 64-bit hash of the key keyed by seeds drawn once per process, the
 * same for the key at every push and computed rather than remembered, so a process sending with a million keys
 * keeps nothing per key here; any other pacer, which may share its state with other processes
 * (`@flash-call/redis`), is given {@link keyIdOf}, the SHA-256 id every process computes alike. Either way the
 * pacer never sees the key.
 *
 * @param pacer the pacer the id is for
 * @param key the integration key
 * @example
 * ```ts
 * keyIdFor(new RateLimiter(), secret); // "local:" and 16 hex digits
 * await keyIdFor(createRedisPacer(redisClient), secret); // "sha256:…"
 * ```
 */
export function keyIdFor(pacer: Pacer, key: string): string | Promise<string> {
  if (!(pacer instanceof RateLimiter)) return keyIdOf(key);
  if (lastLocal?.key !== key) lastLocal = { key, id: localIdOf(key) };
  return lastLocal.id;
}
