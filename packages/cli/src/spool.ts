import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { AlertEvent } from "@flash-call/core";

/** The on-disk format marker of a spool file; bumped if the layout ever changes. */
export const SPOOL_FORMAT = "flash-call-spool/1";

/**
 * One spooled event. The integration key is never stored: `flush` takes it from the environment or flags.
 * `base_url` records where the event was going (origin and path prefix of the push URL, without its query).
 */
export interface SpoolEntry {
  format: typeof SPOOL_FORMAT;
  created_at: string;
  base_url?: string;
  event: AlertEvent;
  /** Why it was spooled (error code and message), for people reading the directory. */
  reason?: { code: string; message: string };
}

/** A spool file this process has claimed; nobody else will send it until it is released. */
export interface SpoolClaim {
  /** The file's spool name (sortable: time, process, sequence). */
  name: string;
  entry: SpoolEntry;
  /** Delivered: delete the file. */
  complete(): Promise<void>;
  /** Not delivered but may be later: put it back under its name. */
  release(): Promise<void>;
  /** Never deliverable (rejected by the server): keep it as `<name>.rejected`, out of future flushes. */
  reject(): Promise<void>;
}

// `-k<hash>` names the entry's alert_key (see alertKeyTag), `-n` says it has none; names without either come
// from an older version, whose alert_key is only in the file.
const SPOOL_NAME = /^\d{15}-\d+-\d{6}-[0-9a-f]{8}(?:-k([0-9a-f]{16})|(-n))?\.json$/;
const CLAIM_NAME = /^\.claimed-(\d+)-(.+)$/;
const TEMP_NAME = /^\.tmp-(\d+)-/;
let sequence = 0;
/** Claim files this process holds now: a claim with our pid that is not here was left by an earlier process. */
const held = new Set<string>();

function hasCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/** Whether a process id is alive on this host (EPERM means it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !hasCode(error, "ESRCH");
  }
}

/** The part of a spool name that identifies the entry's alert_key: a hash, so any key fits in a file name. */
function alertKeyTag(alertKey: string | undefined): string {
  if (alertKey === undefined) return "-n";
  return `-k${createHash("sha256").update(alertKey, "utf8").digest("hex").slice(0, 16)}`;
}

/**
 * Writes an event to the spool atomically: a temp file is written, flushed to disk and renamed into place,
 * so a reader never sees half a file. The directory is created (mode 0700) if needed; files are mode 0600.
 * An event without `event_time` gets the spooling time (Unix seconds), so a later flush does not date it at
 * flush time. The name carries a hash of the event's alert_key (for {@link pendingAlertKeys}).
 * Returns the file's spool name.
 *
 * @example
 * await writeSpoolEntry("/var/spool/flash-call", { event, base_url: "https://api.flashcat.cloud" });
 */
export async function writeSpoolEntry(
  directory: string,
  entry: Omit<SpoolEntry, "format" | "created_at">,
  now: number = Date.now(),
): Promise<string> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  sequence += 1;
  const name = `${String(now).padStart(15, "0")}-${process.pid}-${String(sequence % 1_000_000).padStart(6, "0")}-${randomBytes(4).toString("hex")}${alertKeyTag(entry.event.alert_key)}.json`;
  const event: AlertEvent =
    entry.event.event_time === undefined
      ? { ...entry.event, event_time: Math.floor(now / 1000) }
      : entry.event;
  const full: SpoolEntry = {
    format: SPOOL_FORMAT,
    created_at: new Date(now).toISOString(),
    ...entry,
    event,
  };
  const temp = join(directory, `.tmp-${process.pid}-${name}`);
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(full)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(directory, name));
  return name;
}

/**
 * Puts back files claimed by processes that died mid-flush, and deletes temp files of dead writers.
 * Returns how many claims were recovered. A missing directory is an empty spool.
 *
 * @example
 * await recoverStaleClaims(directory); // 0
 */
export async function recoverStaleClaims(directory: string): Promise<number> {
  let recovered = 0;
  for (const name of await readNames(directory)) {
    const claim = CLAIM_NAME.exec(name);
    // Our own pid on a claim we do not hold: an earlier process with the same pid (pid 1 in a container) died.
    const owner = Number(claim?.[1]);
    if (claim && (owner === process.pid ? !held.has(name) : !isAlive(owner))) {
      try {
        await rename(join(directory, name), join(directory, claim[2] ?? ""));
        recovered += 1;
      } catch (error) {
        // Another flush recovered it first.
        if (!hasCode(error, "ENOENT")) throw error;
      }
      continue;
    }
    const temp = TEMP_NAME.exec(name);
    if (temp && !isAlive(Number(temp[1]))) await unlink(join(directory, name)).catch(() => undefined);
  }
  return recovered;
}

async function readNames(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return [];
    throw error;
  }
}

/**
 * The spooled files waiting to be sent, oldest first.
 *
 * @example
 * await listSpool(directory); // ["001714564800000-123-000001-0a1b2c3d-k5d41402abc4b2a76.json", ...]
 */
export async function listSpool(directory: string): Promise<string[]> {
  return (await readNames(directory)).filter((name) => SPOOL_NAME.test(name)).sort();
}

/** The alert keys a spool holds entries for; see {@link pendingAlertKeys}. */
export interface PendingAlertKeys {
  /** Whether the spool held an entry for `alertKey` when it was read. */
  has(alertKey: string): boolean;
}

/**
 * The alert keys the spool holds entries for: waiting files, and files claimed by a flush (a live flush may
 * still fail to deliver and put its claim back; a dead one's claim is put back by the next flush). Temp files
 * (not yet entries) and `.rejected` files (never to be sent) do not count. Costs one directory read: the
 * key is hashed into each name, so only entries written by an older version (names without the hash) are
 * opened. A missing directory holds nothing.
 *
 * @example
 * if ((await pendingAlertKeys(directory)).has("disk-db1")) { ... } // spool it behind, do not overtake
 */
export async function pendingAlertKeys(directory: string): Promise<PendingAlertKeys> {
  const tags = new Set<string>();
  const untagged = new Set<string>();
  const reads: Promise<void>[] = [];
  for (const name of await readNames(directory)) {
    const spoolName = CLAIM_NAME.exec(name)?.[2] ?? name;
    const match = SPOOL_NAME.exec(spoolName);
    if (!match) continue;
    if (match[1] !== undefined) tags.add(`-k${match[1]}`);
    else if (match[2] === undefined) {
      reads.push(
        readFile(join(directory, name), "utf8")
          .then((text) => {
            const key = (JSON.parse(text) as Partial<SpoolEntry> | null)?.event?.alert_key;
            if (typeof key === "string") untagged.add(key);
          })
          // Gone meanwhile (claimed, delivered) or unreadable (flush sets it aside): nothing to wait behind.
          .catch(() => undefined),
      );
    }
  }
  await Promise.all(reads);
  return { has: (alertKey) => untagged.has(alertKey) || tags.has(alertKeyTag(alertKey)) };
}

/**
 * The alert_key tag of a spool name (or of a claim file's name), or undefined for an event without alert_key.
 * Flushes use it to keep each alert's events in order while another flush holds one of them.
 *
 * @example
 * spoolNameTag("000001700000000-42-000001-0a1b2c3d-k0123456789abcdef.json"); // "0123456789abcdef"
 */
export function spoolNameTag(name: string): string | undefined {
  const match = SPOOL_NAME.exec(CLAIM_NAME.exec(name)?.[2] ?? name);
  return match?.[1];
}

/** The names of claim files in the spool: events another (live) flush is sending right now. */
export async function claimedNames(directory: string): Promise<string[]> {
  return (await readNames(directory)).filter((name) => CLAIM_NAME.test(name));
}

/**
 * Claims one spool file by renaming it to `.claimed-<pid>-<name>`: rename is atomic, so of two concurrent
 * flushes exactly one wins and the other gets `undefined` (it must skip the file). A file that is not a spool
 * entry is renamed to `<name>.rejected` and an Error naming it is thrown.
 *
 * @example
 * const claim = await claimSpoolFile(directory, name);
 * if (claim) { await send(claim.entry.event); await claim.complete(); }
 */
export async function claimSpoolFile(directory: string, name: string): Promise<SpoolClaim | undefined> {
  const original = join(directory, name);
  const claimName = `.claimed-${process.pid}-${name}`;
  const claimed = join(directory, claimName);
  try {
    await rename(original, claimed);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return undefined;
    throw error;
  }
  held.add(claimName);
  const settle = (action: Promise<void>) => action.finally(() => held.delete(claimName));
  const reject = () => settle(rename(claimed, join(directory, `${name}.rejected`)));
  let entry: SpoolEntry;
  try {
    entry = JSON.parse(await readFile(claimed, "utf8")) as SpoolEntry;
    if (entry?.format !== SPOOL_FORMAT || typeof entry.event !== "object" || entry.event === null) {
      throw new Error("not a flash-call spool entry");
    }
  } catch (error) {
    await reject();
    throw new Error(
      `spool file ${name} is unreadable (${error instanceof Error ? error.message : String(error)}); kept as ${name}.rejected`,
    );
  }
  return {
    name,
    entry,
    complete: () => settle(unlink(claimed)),
    release: () => settle(rename(claimed, original)),
    reject,
  };
}
