import { rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory, writeDurably } from "./durable-write.js";
import { SET_ASIDE_SUFFIX, setAsideFile } from "./set-aside.js";
import { readNoFollow } from "./spool-directory.js";
import {
  entryEndpoint,
  hasCode,
  redactedReason,
  SPOOL_FORMAT,
  type SpoolEntry,
  type SpoolReason,
  SpoolRefusedError,
} from "./spool-entry.js";
import { claimName, nameEndpoint } from "./spool-name.js";

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

/**
 * Claim files this process holds now: a claim with our pid that is not here was left by an earlier process
 * (see recoverStaleClaims).
 */
export const heldClaims = new Set<string>();

/**
 * The claim handle of `name`, held by this process as `.claimed-<pid>-<name>`.
 *
 * @example
 * const claim = claimOf(directory, name, entry); await claim.complete();
 */
export function claimOf(directory: string, name: string, entry: SpoolEntry): SpoolClaim {
  const held = claimName(name);
  const claimed = join(directory, held);
  const settle = (action: () => Promise<void>) => action().finally(() => heldClaims.delete(held));
  return {
    name,
    entry,
    complete: () => settle(() => unlink(claimed)),
    release: (reason) =>
      settle(async () => {
        if (reason !== undefined) {
          const updated: SpoolEntry = { ...entry, reason: redactedReason(reason) };
          await writeDurably(directory, name, held, `${JSON.stringify(updated)}\n`);
        }
        await rename(claimed, join(directory, name));
        await syncDirectory(directory);
      }),
    setAside: (reason) => settle(() => setAsideFile(directory, name, claimed, reason)),
  };
}

/**
 * A spool file could not be read as an entry (not JSON, not UTF-8, too large, not flash-call's) and has been set
 * aside as `<name>.rejected`, its reason beside it. Code `Unreadable`, never retryable: a person has to look at it.
 *
 * @example
 * throw new UnreadableEntryError(`spool file ${name} is unreadable (…); kept as ${name}.rejected`);
 */
export class UnreadableEntryError extends Error {
  /** The code of the error, and of the reason written beside the set-aside file. */
  static readonly CODE = "Unreadable";
  readonly code = UnreadableEntryError.CODE;
  readonly retryable = false;
}

/**
 * Refuses an entry whose `endpoint` is not one flash-call sends to, or is not the one its name says: the name
 * orders it among its alert's or its change's events, the field picks the destination, and they must agree.
 */
function checkEndpoint(entry: SpoolEntry, name: string): void {
  const endpoint: unknown = entry.endpoint;
  if (endpoint !== undefined && endpoint !== "alert" && endpoint !== "change") {
    throw new Error("its endpoint is neither alert nor change");
  }
  if (entryEndpoint(entry) !== nameEndpoint(name)) {
    throw new Error(
      `it is a${endpoint === "change" ? " change" : "n alert"} entry under another kind's name`,
    );
  }
}

/**
 * Claims one spool file by renaming it to `.claimed-<pid>-<name>`: rename is atomic, so of two concurrent
 * flushes exactly one wins and the other gets `undefined` (it must skip the file). A symbolic link is put back
 * unread and a {@link SpoolRefusedError} is thrown; a file that is not a spool entry (or whose endpoint is
 * unknown, or not the one its name says) is set aside
 * (`<name>.rejected`, with its reason beside it) and an {@link UnreadableEntryError} naming it is thrown. Any
 * other error (the rename or the set-aside failed: a read-only or full directory) leaves the file in the spool,
 * under its name or this process's claim (which the next flush puts back).
 *
 * @example
 * const claim = await claimSpoolFile(directory, name);
 * if (claim) { await send(claim.entry.event); await claim.complete(); }
 */
export async function claimSpoolFile(directory: string, name: string): Promise<SpoolClaim | undefined> {
  const original = join(directory, name);
  const held = claimName(name);
  const claimed = join(directory, held);
  try {
    await rename(original, claimed);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return undefined;
    throw error;
  }
  heldClaims.add(held);
  let entry: SpoolEntry;
  try {
    const text = await readNoFollow(claimed, name);
    entry = JSON.parse(text) as SpoolEntry;
    if (entry?.format !== SPOOL_FORMAT || typeof entry.event !== "object" || entry.event === null) {
      throw new Error("not a flash-call spool entry");
    }
    checkEndpoint(entry, name);
  } catch (error) {
    if (error instanceof SpoolRefusedError) {
      await rename(claimed, original).finally(() => heldClaims.delete(held));
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    await setAsideFile(directory, name, claimed, { code: UnreadableEntryError.CODE, message }).finally(() =>
      heldClaims.delete(held),
    );
    throw new UnreadableEntryError(
      `spool file ${name} is unreadable (${message}); kept as ${name}${SET_ASIDE_SUFFIX}`,
    );
  }
  return claimOf(directory, name, entry);
}
