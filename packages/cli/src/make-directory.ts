import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { hasCode } from "./spool-entry.js";

/**
 * Creates `directory` and its missing parents, each with `mode`, like `mkdir -p`; one that already exists is
 * left as it is (the caller checks what it is). Each level is tried at most twice, so a file system where
 * `mkdir` answers ENOENT under a parent that exists (`/proc`, some FUSE mounts) fails with that error: Node's own
 * `mkdir(…, { recursive: true })` retries such a path for ever, at full CPU, deaf to stop signals.
 *
 * @example
 * await makeDirectory("/var/spool/flash-call", 0o700);
 */
export async function makeDirectory(directory: string, mode: number): Promise<void> {
  try {
    await mkdir(directory, { mode });
    return;
  } catch (error) {
    if (hasCode(error, "EEXIST")) return;
    const parent = dirname(directory);
    if (!hasCode(error, "ENOENT") || parent === directory) throw error;
  }
  await makeDirectory(dirname(directory), mode);
  try {
    await mkdir(directory, { mode });
  } catch (error) {
    if (!hasCode(error, "EEXIST")) throw error;
  }
}
