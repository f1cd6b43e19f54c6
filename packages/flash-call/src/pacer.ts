import { maskKey } from "@flash-call/errors";

/** Ends a request's hold on its slot; call it when the response has arrived (or the request failed). */
export type Release = () => void;

/**
 * Where the pacing of every push is decided: the in-process `RateLimiter` by default, or a store every process
 * shares (`createRedisPacer` from `@flash-call/redis`), given as `rateLimit: { pacer }`. A pacer never sees an
 * integration key: `keyId` is a hash of it (see {@link keyIdOf}), the same in every process.
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
  /** Resolves with a `Release` when one more request for `keyId` fits; rejects with `signal`'s reason on abort. */
  acquire(keyId: string, signal?: AbortSignal): Promise<Release>;
  /** Holds every request for `keyId` for `ms` milliseconds (a 429's `Retry-After`, or its backoff). */
  pause(keyId: string, ms: number): void | Promise<void>;
}

/** Distinct keys whose id is remembered: an instance normally sends with one or a few. */
const REMEMBERED_IDS = 256;
const ids = new Map<string, string | Promise<string>>();

/**
 * The id a pacer knows an integration key by: `sha256:` and the first 32 hex characters (128 bits) of the
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
