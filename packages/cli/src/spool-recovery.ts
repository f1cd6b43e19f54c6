import { rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { TEMP_NAME } from "./durable-write.js";
import { heldClaims } from "./spool-claim.js";
import { spoolFileNames } from "./spool-directory.js";
import { hasCode } from "./spool-entry.js";
import { isSpoolName, parseClaimName } from "./spool-name.js";

/**
 * The largest process id any system gives (Linux's PID_MAX_LIMIT, 2^22; others stay below it). A claim's name is
 * read from the spool folder, where anyone who may write it can plant one: a pid no process can have is no claim.
 */
const LARGEST_PID = 2 ** 22;

/**
 * Whether a process id is alive on this host (EPERM means it exists but belongs to someone else). 0 is not a
 * process: `kill(0, 0)` asks this process's own group, which is always there, and would hold the claim forever.
 */
function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid > LARGEST_PID) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !hasCode(error, "ESRCH");
  }
}

/**
 * Puts back files claimed by processes that died mid-flush or mid-push (write-ahead), and deletes temp files
 * of dead writers. Returns how many claims were recovered. A missing directory is an empty spool.
 *
 * Only a claim of a spool entry's name is put back: any other `.claimed-<pid>-…` name (`.claimed-1-..`, a
 * stranger's file) is not flash-call's and is left alone. A claim that cannot be put back (its name is taken by a
 * directory, the directory is read-only) is told to `onStuck` and the others are still recovered, so one such
 * file never stops a flush.
 *
 * @param onStuck told each claim left in place, and why. @default ignored
 * @example
 * await recoverStaleClaims(directory, (file, error) => output.warn(`${file}: ${error}`)); // 0
 */
export async function recoverStaleClaims(
  directory: string,
  onStuck: (file: string, error: unknown) => void = () => undefined,
): Promise<number> {
  let recovered = 0;
  for (const file of await spoolFileNames(directory)) {
    const claim = parseClaimName(file);
    if (claim !== undefined && !isSpoolName(claim.name)) continue;
    // Our own pid on a claim we do not hold: an earlier process with the same pid (pid 1 in a container) died.
    if (claim && (claim.pid === process.pid ? !heldClaims.has(file) : !isAlive(claim.pid))) {
      try {
        await rename(join(directory, file), join(directory, claim.name));
        recovered += 1;
      } catch (error) {
        // ENOENT: another flush recovered it first.
        if (!hasCode(error, "ENOENT")) onStuck(file, error);
      }
      continue;
    }
    const temp = TEMP_NAME.exec(file);
    if (temp && !isAlive(Number(temp[1]))) await unlink(join(directory, file)).catch(() => undefined);
  }
  return recovered;
}
