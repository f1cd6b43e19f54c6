import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { AlertEvent } from "@flash-call/core";
import { redact } from "@flash-call/errors";

/** The on-disk format marker of a spool file; bumped if the layout ever changes. */
export const SPOOL_FORMAT = "flash-call-spool/1";
/** The format marker of a set-aside event's sidecar (`<name>.reason.json`). */
export const SET_ASIDE_FORMAT = "flash-call-set-aside/1";

/** Why an event was spooled or set aside: an error's code and (redacted) message, for people and tools. */
export interface SpoolReason {
  code: string;
  message: string;
  status?: number;
  request_id?: string;
}

/**
 * One spooled event. The integration key is never stored: `flush` takes it from the environment or flags.
 * `base_url` records where the event was going (origin and path prefix of the push URL, without its query);
 * `flush` sends only events whose `base_url` is the one its own configuration names (see destinationMismatch).
 */
export interface SpoolEntry {
  format: typeof SPOOL_FORMAT;
  created_at: string;
  base_url?: string;
  event: AlertEvent;
  /** Why it was spooled (error code and message), for people reading the directory. */
  reason?: SpoolReason;
}

/** A spool file this process has claimed; nobody else will send it until it is released. */
export interface SpoolClaim {
  /** The file's spool name (sortable: time, process, sequence). */
  name: string;
  entry: SpoolEntry;
  /** Delivered (or refused and reported to whoever sent it): delete the file. */
  complete(): Promise<void>;
  /**
   * Not delivered but may be later: put it back under its name. With `reason`, the entry is first rewritten
   * durably to record it (an atomic replace, so a crash leaves the old or the new file, never neither).
   */
  release(reason?: SpoolReason): Promise<void>;
  /**
   * Its own content was refused: keep it as `<name>.rejected`, out of future flushes, with `reason` (redacted)
   * in the sidecar `<name>.reason.json`. `flush --retry-set-aside` puts it back.
   */
  setAside(reason: SpoolReason): Promise<void>;
}

/** A set-aside event, as {@link listSetAside} reads it. */
export interface SetAsideEntry {
  /** The spool name it had (the file is `<name>.rejected`). */
  name: string;
  /** The event, or undefined when the file is unreadable (it was set aside for that). */
  event?: AlertEvent;
  /** Why it was set aside; undefined for files set aside by an older version (no sidecar). */
  reason?: SpoolReason & { set_aside_at?: string };
}

/**
 * The spool refused a file or a directory it must not follow or trust (a symbolic link). Code `SpoolRefused`,
 * never retryable: a person has to look at it.
 *
 * @example
 * throw new SpoolRefusedError("spool directory /var/spool/fc is a symbolic link; refusing to follow it");
 */
export class SpoolRefusedError extends Error {
  readonly code = "SpoolRefused";
  readonly retryable = false;
}

// `-k<hash>` names the entry's alert_key (see alertKeyTag), `-n` says it has none; names without either come
// from an older version, whose alert_key is only in the file.
const SPOOL_NAME = /^\d{15}-\d+-\d{6}-[0-9a-f]{8}(?:-k([0-9a-f]{16})|(-n))?\.json$/;
const CLAIM_NAME = /^\.claimed-(\d+)-(.+)$/;
const TEMP_NAME = /^\.tmp-(\d+)-/;
const SET_ASIDE_SUFFIX = ".rejected";
const REASON_SUFFIX = ".reason.json";
let sequence = 0;
/** Claim files this process holds now: a claim with our pid that is not here was left by an earlier process. */
const held = new Set<string>();
/** Spool directories already warned about (group- or world-writable): once per directory and process. */
const warnedWritable = new Set<string>();

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
 * Checks the spool directory before anything is read from or written into it: a symbolic link is refused
 * (whoever can replace the directory by a link could read or plant events), and a directory that group or
 * others may write is warned about once (whoever can write there can queue events that `flush` sends with
 * the key). Returns whether the directory exists.
 *
 * @example
 * if (await checkSpoolDirectory(directory, (message) => output.warn(message))) { ... }
 */
export async function checkSpoolDirectory(
  directory: string,
  warn: (message: string) => void = () => undefined,
): Promise<boolean> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(directory);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return false;
    throw error;
  }
  if (stats.isSymbolicLink()) {
    throw new SpoolRefusedError(
      `the spool directory ${directory} is a symbolic link; refusing to follow it: use the real directory`,
    );
  }
  if (!stats.isDirectory()) throw new SpoolRefusedError(`the spool ${directory} is not a directory`);
  if ((stats.mode & 0o022) !== 0 && !warnedWritable.has(directory)) {
    warnedWritable.add(directory);
    warn(
      `the spool directory ${directory} is writable by group or others: anyone who can write there can queue events; run: chmod 700 ${directory}`,
    );
  }
  return true;
}

/**
 * Reads a spool file without following a symbolic link (O_NOFOLLOW): a link is refused, never read. So is
 * anything but a regular file (opened non-blocking, so a planted FIFO cannot hang the flush).
 */
async function readNoFollow(path: string, name: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (hasCode(error, "ELOOP")) {
      throw new SpoolRefusedError(`spool file ${name} is a symbolic link; not followed, not sent`);
    }
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new SpoolRefusedError(`spool file ${name} is not a regular file; not read, not sent`);
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** Makes a rename or an unlink in `directory` durable; a platform that cannot sync a directory is let be. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
    await handle.sync();
  } catch (error) {
    if (!hasCode(error, "EINVAL") && !hasCode(error, "EISDIR") && !hasCode(error, "EPERM")) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `text` to `directory/final` so that a reader sees the old file or the whole new one: a temp file
 * (`.tmp-<pid>-<tempName>`, created exclusively, so never through a planted link) is written, synced and
 * renamed over `final`, and the directory is synced so the rename survives a power loss.
 */
async function writeDurably(directory: string, tempName: string, final: string, text: string): Promise<void> {
  const temp = join(directory, `.tmp-${process.pid}-${tempName}`);
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(directory, final));
  await syncDirectory(directory);
}

/** Creates the spool directory if needed (mode 0700) and checks it (see {@link checkSpoolDirectory}). */
async function prepareDirectory(directory: string, warn?: (message: string) => void): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await checkSpoolDirectory(directory, warn);
}

function newEntry(
  entry: Omit<SpoolEntry, "format" | "created_at">,
  now: number,
): { name: string; full: SpoolEntry } {
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
    ...(entry.reason !== undefined && { reason: redactedReason(entry.reason) }),
    event,
  };
  return { name, full };
}

function redactedReason(reason: SpoolReason): SpoolReason {
  return {
    code: redact(reason.code),
    message: redact(reason.message),
    ...(reason.status !== undefined && { status: reason.status }),
    ...(reason.request_id !== undefined && { request_id: redact(reason.request_id) }),
  };
}

/** Options of {@link writeSpoolEntry} and {@link writeAheadEntry}. */
export interface SpoolWriteOptions {
  /** The time to name and date the entry by. @default Date.now() */
  now?: number;
  /** Where the group/world-writable warning goes. @default nowhere */
  warn?: (message: string) => void;
}

/**
 * Writes an event to the spool durably and atomically: a temp file is written, synced and renamed into place,
 * and the directory synced, so a reader never sees half a file and a crash never loses a written one. The
 * directory is created (mode 0700) if needed and refused if it is a symbolic link; files are mode 0600.
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
  options: SpoolWriteOptions | number = {},
): Promise<string> {
  const { now = Date.now(), warn } = typeof options === "number" ? { now: options } : options;
  await prepareDirectory(directory, warn);
  const { name, full } = newEntry(entry, now);
  await writeDurably(directory, name, name, `${JSON.stringify(full)}\n`);
  return name;
}

/**
 * Write-ahead: writes the event to the spool (as {@link writeSpoolEntry} does) already claimed by this process,
 * before it is sent. A concurrent flush leaves it alone (and holds back its alert's later events); if this
 * process dies, the next flush recovers the claim and sends it. The caller then settles the claim: `complete()`
 * once delivered, `release(reason)` to leave it spooled for `flush`.
 *
 * @example
 * const claim = await writeAheadEntry(directory, { event, base_url });
 * try { await flashCall.push(claim.entry.event); await claim.complete(); } catch { await claim.release(); }
 */
export async function writeAheadEntry(
  directory: string,
  entry: Omit<SpoolEntry, "format" | "created_at">,
  options: SpoolWriteOptions = {},
): Promise<SpoolClaim> {
  await prepareDirectory(directory, options.warn);
  const { name, full } = newEntry(entry, options.now ?? Date.now());
  const claimName = `.claimed-${process.pid}-${name}`;
  held.add(claimName);
  try {
    await writeDurably(directory, name, claimName, `${JSON.stringify(full)}\n`);
  } catch (error) {
    held.delete(claimName);
    throw error;
  }
  return claimOf(directory, name, full);
}

/** The claim handle of `name`, held by this process as `.claimed-<pid>-<name>`. */
function claimOf(directory: string, name: string, entry: SpoolEntry): SpoolClaim {
  const claimName = `.claimed-${process.pid}-${name}`;
  const claimed = join(directory, claimName);
  const settle = (action: () => Promise<void>) => action().finally(() => held.delete(claimName));
  return {
    name,
    entry,
    complete: () => settle(() => unlink(claimed)),
    release: (reason) =>
      settle(async () => {
        if (reason !== undefined) {
          const updated: SpoolEntry = { ...entry, reason: redactedReason(reason) };
          await writeDurably(directory, name, claimName, `${JSON.stringify(updated)}\n`);
        }
        await rename(claimed, join(directory, name));
        await syncDirectory(directory);
      }),
    setAside: (reason) => settle(() => setAsideFile(directory, name, claimed, reason)),
  };
}

async function setAsideFile(directory: string, name: string, from: string, reason: SpoolReason) {
  const sidecar = {
    format: SET_ASIDE_FORMAT,
    set_aside_at: new Date().toISOString(),
    ...redactedReason(reason),
  };
  // The reason first: a crash between the two leaves the event spooled (sent again, set aside again).
  await writeDurably(
    directory,
    `${name}${REASON_SUFFIX}`,
    `${name}${REASON_SUFFIX}`,
    `${JSON.stringify(sidecar)}\n`,
  );
  await rename(from, join(directory, `${name}${SET_ASIDE_SUFFIX}`));
  await syncDirectory(directory);
}

/**
 * Puts back files claimed by processes that died mid-flush or mid-push (write-ahead), and deletes temp files
 * of dead writers. Returns how many claims were recovered. A missing directory is an empty spool.
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
 * The alert keys the spool holds entries for: waiting files, and files claimed by a flush or by a push that
 * is sending it (write-ahead; a live claimer may still fail to deliver and put its claim back; a dead one's
 * claim is put back by the next flush). Temp files (not yet entries) and `.rejected` files (never to be sent)
 * do not count. Costs one directory read: the key is hashed into each name, so only entries written by an
 * older version (names without the hash) are opened. A missing directory holds nothing.
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
        readNoFollow(join(directory, name), name)
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

/** The names of claim files in the spool: events another (live) flush or push is sending right now. */
export async function claimedNames(directory: string): Promise<string[]> {
  return (await readNames(directory)).filter((name) => CLAIM_NAME.test(name));
}

/**
 * Claims one spool file by renaming it to `.claimed-<pid>-<name>`: rename is atomic, so of two concurrent
 * flushes exactly one wins and the other gets `undefined` (it must skip the file). A symbolic link is put back
 * unread and a {@link SpoolRefusedError} is thrown; a file that is not a spool entry is set aside
 * (`<name>.rejected`, with its reason beside it) and an Error naming it is thrown.
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
  let entry: SpoolEntry;
  try {
    const text = await readNoFollow(claimed, name);
    entry = JSON.parse(text) as SpoolEntry;
    if (entry?.format !== SPOOL_FORMAT || typeof entry.event !== "object" || entry.event === null) {
      throw new Error("not a flash-call spool entry");
    }
  } catch (error) {
    if (error instanceof SpoolRefusedError) {
      await rename(claimed, original).finally(() => held.delete(claimName));
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    await setAsideFile(directory, name, claimed, { code: "Unreadable", message }).finally(() =>
      held.delete(claimName),
    );
    throw new Error(`spool file ${name} is unreadable (${message}); kept as ${name}${SET_ASIDE_SUFFIX}`);
  }
  return claimOf(directory, name, entry);
}

/**
 * The events set aside in the spool (`<name>.rejected`), oldest first, each with the reason from its sidecar.
 *
 * @example
 * for (const { name, reason } of await listSetAside(directory)) console.log(name, reason?.code);
 */
export async function listSetAside(directory: string): Promise<SetAsideEntry[]> {
  const names = (await readNames(directory))
    .filter(
      (file) => file.endsWith(SET_ASIDE_SUFFIX) && SPOOL_NAME.test(file.slice(0, -SET_ASIDE_SUFFIX.length)),
    )
    .map((file) => file.slice(0, -SET_ASIDE_SUFFIX.length))
    .sort();
  const readJson = async (file: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const value = JSON.parse(await readNoFollow(join(directory, file), file)) as unknown;
      return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  return Promise.all(
    names.map(async (name) => {
      const entry = await readJson(`${name}${SET_ASIDE_SUFFIX}`);
      const sidecar = await readJson(`${name}${REASON_SUFFIX}`);
      const event = entry?.format === SPOOL_FORMAT ? (entry.event as AlertEvent | undefined) : undefined;
      const reason =
        sidecar?.format === SET_ASIDE_FORMAT && typeof sidecar.code === "string"
          ? {
              code: sidecar.code,
              message: String(sidecar.message ?? ""),
              ...(typeof sidecar.status === "number" && { status: sidecar.status }),
              ...(typeof sidecar.request_id === "string" && { request_id: sidecar.request_id }),
              ...(typeof sidecar.set_aside_at === "string" && { set_aside_at: sidecar.set_aside_at }),
            }
          : undefined;
      return {
        name,
        ...(typeof event === "object" && event !== null && { event }),
        ...(reason !== undefined && { reason }),
      };
    }),
  );
}

/**
 * Puts a set-aside event back in the spool under its original name (so it keeps its place in the order) and
 * deletes its sidecar. Returns false when it is no longer set aside (another process put it back first).
 *
 * @example
 * for (const { name } of await listSetAside(directory)) await restoreSetAside(directory, name);
 */
export async function restoreSetAside(directory: string, name: string): Promise<boolean> {
  try {
    await rename(join(directory, `${name}${SET_ASIDE_SUFFIX}`), join(directory, name));
  } catch (error) {
    if (hasCode(error, "ENOENT")) return false;
    throw error;
  }
  await unlink(join(directory, `${name}${REASON_SUFFIX}`)).catch(() => undefined);
  await syncDirectory(directory);
  return true;
}
