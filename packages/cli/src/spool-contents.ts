import type { PushEndpoint } from "@flash-call/keys";
import { reportError } from "./error-report.js";
import { isSpoolName, orderTag, parseClaimName, spoolNameTag } from "./spool-name.js";

// Imported at the first read, not at load: a push without a spool imports this file and never reads one (nor loads
// node:fs/promises).
const spoolFileNames = async (directory: string) =>
  (await import("./spool-directory.js")).spoolFileNames(directory);

/**
 * The spooled files waiting to be sent, oldest first.
 *
 * @example
 * await listSpool(directory); // ["001714564800000-123-000001-0a1b2c3d-k5d41402abc4b2a76.json", ...]
 */
export async function listSpool(directory: string): Promise<string[]> {
  return (await spoolFileNames(directory)).filter(isSpoolName).sort();
}

/**
 * The names of claim files in the spool: events another (live) flush or push is sending right now.
 *
 * @example
 * for (const name of await claimedNames(directory)) holdBack(name);
 */
export async function claimedNames(directory: string): Promise<string[]> {
  return (await spoolFileNames(directory)).filter((file) => parseClaimName(file) !== undefined);
}

/** The alert keys and change keys a spool holds entries for; see {@link pendingKeys}. */
export interface PendingKeys {
  /**
   * Whether the spool held an entry for `key` when it was read: an alert's alert_key, or with `endpoint`
   * `"change"` a change's change_key.
   */
  has(key: string, endpoint?: PushEndpoint): boolean;
}

/**
 * The alert keys and change keys the spool holds entries for: waiting files, and files claimed by a flush or
 * by a push that is sending it (write-ahead; a live claimer may still fail to deliver and put its claim back;
 * a dead one's claim is put back by the next flush). Temp files (not yet entries) and `.rejected` files (never
 * to be sent) do not count. Costs one directory read and opens no file: each name carries its order tag. A
 * missing directory holds nothing.
 *
 * @example
 * if ((await pendingKeys(directory)).has("disk-db1")) { ... } // spool it behind, do not overtake
 * if ((await pendingKeys(directory)).has("deploy-42", "change")) { ... }
 */
export async function pendingKeys(directory: string): Promise<PendingKeys> {
  const tags = new Set<string>();
  for (const file of await spoolFileNames(directory)) {
    const tag = spoolNameTag(file);
    if (tag !== undefined) tags.add(`-${tag}`);
  }
  return { has: (key, endpoint = "alert") => tags.has(orderTag(endpoint, key)) };
}

/**
 * {@link pendingKeys}, or, when the spool cannot be read, `undefined` after saying so through `warn`: the event is
 * then sent (and spooled if that fails) rather than not handled at all.
 *
 * @example
 * const pending = await pendingKeysOrWarn(directory, (line) => output.warn(line));
 * if (pending?.has(event.alert_key) === true) { ... } // spool it behind
 */
export async function pendingKeysOrWarn(
  directory: string,
  warn: (message: string) => void,
): Promise<PendingKeys | undefined> {
  try {
    return await pendingKeys(directory);
  } catch (error) {
    warn(`could not read the spool ${directory} (${reportError(error).message}); sending anyway`);
    return undefined;
  }
}
