import { syncDirectorySync, writeDurably, writeDurablySync, writeUnsyncedSync } from "./durable-write.js";
import { claimOf, heldClaims, type SpoolClaim } from "./spool-claim.js";
import { prepareSpoolDirectory, spoolFileNames, spoolFileNamesSync } from "./spool-directory.js";
import {
  entryEndpoint,
  MAX_SPOOL_ENTRY_BYTES,
  type NewSpoolEntry,
  orderKey,
  redactedReason,
  SPOOL_FORMAT,
  type SpoolEntry,
  type SpooledEvent,
  SpoolRefusedError,
} from "./spool-entry.js";
import { claimName, latestNameTimes, nameTimeAfter, newSpoolName, orderTag } from "./spool-name.js";

/**
 * What one run knows of a spool's names, shared by all its writes: a run that spools a batch behind an outage
 * would otherwise read the whole directory again for every event, so that spooling n events took time in n².
 * Entries another process writes after the run's one read are not seen: they are ordered by their own clock, as
 * two runs racing on one alert always were.
 */
export interface SpoolNaming {
  /**
   * The latest naming time of each order tag (see latestNameTimes) the run knows: every name it made (written ahead
   * or not, on disk yet or not), and, once `read` is done, the directory's.
   */
  latest: Map<string, number>;
  /** The run's one read of the directory, merged into `latest` when done; started by the first write needing it. */
  read?: Promise<void>;
}

/** Options of {@link writeSpoolEntry} and {@link writeAheadEntry}. */
export interface SpoolWriteOptions {
  /** The time to name and date the entry by. @default Date.now() */
  now?: number;
  /** Where the group/world-writable warning goes. @default nowhere */
  warn?: (message: string) => void;
  /** What the run knows of the spool's names, shared by its writes. @default none: the directory is read */
  naming?: SpoolNaming;
}

/** Adds `from`'s times to `into`, keeping the later of two for a tag; returns `into`. */
function mergeLatest(into: Map<string, number>, from: ReadonlyMap<string, number>): Map<string, number> {
  for (const [tag, time] of from) if (time > (into.get(tag) ?? -1)) into.set(tag, time);
  return into;
}

/**
 * The spool's latest naming times, read now, synchronously: merged into the run's naming when there is one, which
 * holds the names it made that are not on disk yet (see writeSpoolEntrySync, writeSpoolEntriesSync).
 */
function latestNowSync(directory: string, naming: SpoolNaming | undefined): Map<string, number> {
  const fresh = latestNameTimes(spoolFileNamesSync(directory));
  return naming === undefined ? fresh : mergeLatest(naming.latest, fresh);
}

/**
 * The spool's latest naming times: without a run's naming, read from the directory; with one, its own, once the
 * directory has been read into it (one read, however many writes wait for it; a failed read is tried again by the
 * next write).
 */
async function latestOf(directory: string, naming: SpoolNaming | undefined): Promise<Map<string, number>> {
  if (naming === undefined) return latestNameTimes(await spoolFileNames(directory));
  naming.read ??= spoolFileNames(directory).then(
    (files) => void mergeLatest(naming.latest, latestNameTimes(files)),
    (error: unknown) => {
      delete naming.read;
      throw error;
    },
  );
  await naming.read;
  return naming.latest;
}

/**
 * The entry as written, and its name. An event without `event_time` is dated at spooling time. The endpoint is
 * always written, so the file says which integration it is for. With `latest` (the spool's latest naming time of
 * each order tag), the name sorts after every entry of its alert or change already there (see nameTimeAfter), and
 * `latest` is updated with it.
 */
function completeEntry(
  entry: NewSpoolEntry,
  now: number,
  latest?: Map<string, number>,
): { name: string; full: SpoolEntry } {
  const dated = <Event extends { event_time?: number }>(event: Event): Event =>
    event.event_time === undefined ? { ...event, event_time: Math.floor(now / 1000) } : event;
  const spooled: SpooledEvent =
    entry.endpoint === "change"
      ? { endpoint: "change", event: dated(entry.event) }
      : { endpoint: "alert", event: dated(entry.event) };
  const full: SpoolEntry = {
    format: SPOOL_FORMAT,
    created_at: new Date(now).toISOString(),
    ...spooled,
    ...(entry.base_url !== undefined && { base_url: entry.base_url }),
    ...(entry.reason !== undefined && { reason: redactedReason(entry.reason) }),
  };
  const tag = orderTag(entryEndpoint(spooled), orderKey(spooled));
  if (latest === undefined) return { name: newSpoolName(now, tag), full };
  const time = nameTimeAfter(latest, tag, now);
  if (tag !== "-n") latest.set(tag, time);
  return { name: newSpoolName(time, tag), full };
}

/**
 * An entry's file content. An entry larger than a spool file may be to be read (MAX_SPOOL_ENTRY_BYTES) is refused
 * here, where the caller can still say so and send the event without a copy, rather than written for a flush to
 * set aside unread.
 */
function entryText(full: SpoolEntry): string {
  const text = `${JSON.stringify(full)}\n`;
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a text that could be over is measured.
  if (text.length * 3 > MAX_SPOOL_ENTRY_BYTES && Buffer.byteLength(text) > MAX_SPOOL_ENTRY_BYTES) {
    throw new SpoolRefusedError(
      `the event takes ${Buffer.byteLength(text)} bytes, over the ${MAX_SPOOL_ENTRY_BYTES} a spool file may hold to be read back`,
    );
  }
  return text;
}

/**
 * Writes an event to the spool durably and atomically: a temp file is written, synced and renamed into place,
 * and the directory synced, so a reader never sees half a file and a crash never loses a written one. The
 * directory is created (mode 0700) if needed and refused if it is a symbolic link; files are mode 0600.
 * An event without `event_time` gets the spooling time (Unix seconds), so a later flush does not date it at
 * flush time. The name carries the entry's order tag (its kind and a hash of its alert_key or change_key, for
 * pendingKeys and flush's ordering).
 * Returns the file's spool name.
 *
 * @example
 * await writeSpoolEntry("/var/spool/flash-call", { event, base_url: "https://api.flashcat.cloud" });
 */
export async function writeSpoolEntry(
  directory: string,
  entry: NewSpoolEntry,
  options: SpoolWriteOptions = {},
): Promise<string> {
  await prepareSpoolDirectory(directory, options.warn);
  const latest = await latestOf(directory, options.naming);
  const { name, full } = completeEntry(entry, options.now ?? Date.now(), latest);
  await writeDurably(directory, name, name, entryText(full));
  return name;
}

/**
 * {@link writeSpoolEntry}, synchronously, into a directory an earlier write of this run has prepared: for the
 * last moment before an immediate exit, when nothing asynchronous would ever finish. The spool's names are read
 * afresh and merged into `naming`, for the run's later writes. Returns the spool name.
 *
 * @example
 * writeSpoolEntrySync(directory, { endpoint: "change", event, base_url, reason }, Date.now(), spool.naming);
 */
export function writeSpoolEntrySync(
  directory: string,
  entry: NewSpoolEntry,
  now = Date.now(),
  naming?: SpoolNaming,
): string {
  const { name, full } = completeEntry(entry, now, latestNowSync(directory, naming));
  writeDurablySync(directory, name, name, entryText(full));
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
  entry: NewSpoolEntry,
  options: SpoolWriteOptions = {},
): Promise<SpoolClaim> {
  await prepareSpoolDirectory(directory, options.warn);
  // The directory is not read for this: a push with no spooled event ahead of it pays no directory read. The name
  // is recorded in the run's naming, so the entries it spools behind this one are named after it.
  const { name, full } = completeEntry(entry, options.now ?? Date.now(), options.naming?.latest);
  const held = claimName(name);
  heldClaims.add(held);
  try {
    await writeDurably(directory, name, held, entryText(full));
  } catch (error) {
    heldClaims.delete(held);
    throw error;
  }
  return claimOf(directory, name, full);
}

/**
 * Writes `entries` to the spool, synchronously and in order, into a directory an earlier write of this run has
 * prepared: for a batch's events at an immediate exit. Each file is written whole through a temp file, and the
 * directory is synced once after them all (not each file: see writeUnsyncedSync). The spool's names are read
 * afresh and merged into `naming`, for the run's later writes. Returns, for each entry in order, its spool name, or
 * `undefined` when it was not written; never throws.
 *
 * An entry refused for its size is skipped, and so is every later entry of its alert (or change): written, they
 * would be flushed before it, and the refused one, sent again by hand, would then overwrite a later status. Any
 * other failure (a full disk, a directory gone) fails the rest too, so it stops there.
 *
 * @example
 * const names = writeSpoolEntriesSync(directory, events.map((event) => ({ endpoint: "alert", event, base_url })));
 * const lost = events.filter((_, index) => names[index] === undefined);
 */
export function writeSpoolEntriesSync(
  directory: string,
  entries: readonly NewSpoolEntry[],
  now = Date.now(),
  naming?: SpoolNaming,
): (string | undefined)[] {
  const names: (string | undefined)[] = entries.map(() => undefined);
  // The alerts (and changes) with an entry not written: their later entries must wait behind it.
  const heldBack = new Set<string>();
  let latest: Map<string, number>;
  try {
    latest = latestNowSync(directory, naming);
  } catch {
    // Unreadable now: the writes below fail the same way, and say so by leaving every name undefined.
    latest = new Map();
  }
  for (const [index, entry] of entries.entries()) {
    const key = orderKey(entry);
    const order = key === undefined ? undefined : `${entryEndpoint(entry)}:${key}`;
    if (order !== undefined && heldBack.has(order)) continue;
    try {
      const { name, full } = completeEntry(entry, now, latest);
      writeUnsyncedSync(directory, name, name, entryText(full));
      names[index] = name;
    } catch (error) {
      if (!(error instanceof SpoolRefusedError)) break;
      if (order !== undefined) heldBack.add(order);
    }
  }
  try {
    syncDirectorySync(directory);
  } catch {
    // The entries are written: only a power cut in the next seconds could lose them now.
  }
  return names;
}
