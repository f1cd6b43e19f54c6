import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { hasCode } from "./spool-entry.js";

/**
 * Makes a rename or an unlink in `directory` durable; a platform that cannot sync a directory is let be.
 *
 * @example
 * await rename(from, to); await syncDirectory(directory);
 */
export async function syncDirectory(directory: string): Promise<void> {
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

/** The prefix of a temp file of process `pid`: `.tmp-<pid>-`. */
export const TEMP_NAME = /^\.tmp-(\d+)-/;

/** This process's temp file `tempName` in `directory`, as TEMP_NAME reads it back. */
const tempPath = (directory: string, tempName: string) => join(directory, `.tmp-${process.pid}-${tempName}`);

/**
 * Writes `text` to `directory/final` so that a reader sees the old file or the whole new one: a temp file
 * (`.tmp-<pid>-<tempName>`, created exclusively, so never through a planted link) is written, synced and
 * renamed over `final`, and the directory is synced so the rename survives a power loss.
 *
 * @example
 * await writeDurably(directory, name, name, `${JSON.stringify(entry)}\n`);
 */
export async function writeDurably(
  directory: string,
  tempName: string,
  final: string,
  text: string,
): Promise<void> {
  const temp = tempPath(directory, tempName);
  const handle = await open(temp, "wx", 0o600);
  try {
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(directory, final));
  } catch (error) {
    // A full disk (ENOSPC) leaves a part written: it is no entry, and holds space the next write needs.
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** {@link syncDirectory}, synchronously. */
export function syncDirectorySync(directory: string): void {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(directory, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(descriptor);
  } catch (error) {
    if (!hasCode(error, "EINVAL") && !hasCode(error, "EISDIR") && !hasCode(error, "EPERM")) throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Writes `text` to a temp file of `directory` (created exclusively, as writeDurably does), synced when `synced`,
 * and renames it to `final`.
 */
function writeThroughTempSync(
  directory: string,
  tempName: string,
  final: string,
  text: string,
  synced: boolean,
) {
  const temp = tempPath(directory, tempName);
  const descriptor = openSync(temp, "wx", 0o600);
  try {
    try {
      writeFileSync(descriptor, text, "utf8");
      if (synced) fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temp, join(directory, final));
  } catch (error) {
    // As in writeDurably: a part written is no entry, and holds space the next write needs.
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
}

/**
 * {@link writeDurably}, synchronously: for the last moment before an immediate exit, when nothing
 * asynchronous would ever finish. Just as durable (temp file synced, renamed, directory synced).
 *
 * @example
 * writeDurablySync(directory, name, name, `${JSON.stringify(entry)}\n`);
 */
export function writeDurablySync(directory: string, tempName: string, final: string, text: string): void {
  writeThroughTempSync(directory, tempName, final, text, true);
  syncDirectorySync(directory);
}

/**
 * Writes `text` to `directory/final` through a temp file, as {@link writeDurablySync} does, but syncs nothing: for
 * many entries at an immediate exit, where a sync of each would hold the exit for seconds. The process may be
 * killed at any moment then, and what the kernel was given survives that; the caller syncs the directory once,
 * after them all. Only a power cut in the next seconds could lose such an entry.
 *
 * @example
 * for (const [name, text] of entries) writeUnsyncedSync(directory, name, name, text);
 * syncDirectorySync(directory);
 */
export function writeUnsyncedSync(directory: string, tempName: string, final: string, text: string): void {
  writeThroughTempSync(directory, tempName, final, text, false);
}
