import { constants, readdirSync } from "node:fs";
import { type FileHandle, lstat, open, readdir } from "node:fs/promises";
import { makeDirectory } from "./make-directory.js";
import { hasCode, MAX_SPOOL_ENTRY_BYTES, SpoolRefusedError } from "./spool-entry.js";

/** Spool directories already warned about (group- or world-writable): once per directory and process. */
const warnedWritable = new Set<string>();

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
 * Creates the spool directory if needed (mode 0700) and checks it (see {@link checkSpoolDirectory}).
 *
 * @example
 * await prepareSpoolDirectory("/var/spool/flash-call", output.warn);
 */
export async function prepareSpoolDirectory(
  directory: string,
  warn?: (message: string) => void,
): Promise<void> {
  await makeDirectory(directory, 0o700);
  await checkSpoolDirectory(directory, warn);
}

/**
 * The names in the spool directory; a missing directory is an empty spool.
 *
 * @example
 * await spoolFileNames("/var/spool/flash-call"); // [".claimed-42-…", "0017…-n.json"]
 */
export async function spoolFileNames(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return [];
    throw error;
  }
}

/**
 * {@link spoolFileNames}, synchronously: for the last moment before an immediate exit.
 *
 * @example
 * spoolFileNamesSync("/var/spool/flash-call"); // [".claimed-42-…", "0017…-n.json"]
 */
export function spoolFileNamesSync(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return [];
    throw error;
  }
}

// Fatal, so that a byte sequence that is not UTF-8 fails the read instead of becoming U+FFFD: flash-call writes only
// valid UTF-8 (JSON.stringify escapes lone surrogates), so such a file is damaged or planted, and decoding it
// leniently would send an event other than the one spooled. The BOM is kept, so JSON.parse refuses it as before.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The content of an open file, or undefined when it holds more than {@link MAX_SPOOL_ENTRY_BYTES}: at most one
 * byte more than that is ever read, whatever the file's size says (it may grow while it is read).
 */
async function readBounded(handle: FileHandle, size: number): Promise<Buffer | undefined> {
  let buffer = Buffer.allocUnsafe(Math.min(size, MAX_SPOOL_ENTRY_BYTES) + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
    if (length > MAX_SPOOL_ENTRY_BYTES) return undefined;
    if (length === buffer.length) {
      buffer = Buffer.concat([buffer], Math.min(2 * length, MAX_SPOOL_ENTRY_BYTES + 1));
    }
  }
}

/**
 * Reads a spool file without following a symbolic link (O_NOFOLLOW): a link is refused, never read. So is
 * anything but a regular file (opened non-blocking, so a planted FIFO cannot hang the flush). A file larger than
 * any entry flash-call writes ({@link MAX_SPOOL_ENTRY_BYTES}) is not read, and one that is not valid UTF-8 is not
 * decoded (never altered into U+FFFD): an Error says so, and `flush` sets it aside like any unreadable entry.
 *
 * @example
 * const text = await readNoFollow(join(directory, name), name);
 */
export async function readNoFollow(path: string, name: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (hasCode(error, "ELOOP")) {
      throw new SpoolRefusedError(`spool file ${name} is a symbolic link; not followed, not sent`);
    }
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new SpoolRefusedError(`spool file ${name} is not a regular file; not read, not sent`);
    }
    const bytes = stats.size > MAX_SPOOL_ENTRY_BYTES ? undefined : await readBounded(handle, stats.size);
    if (bytes === undefined) {
      throw new Error(
        `it holds more than ${MAX_SPOOL_ENTRY_BYTES} bytes, the most flash-call reads from a spool file; not read`,
      );
    }
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new Error("it is not valid UTF-8, as every file flash-call writes is; not read");
    }
  } finally {
    await handle.close();
  }
}
