import { rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { AlertEvent, ChangeEvent } from "@flash-call/core";
import type { PushEndpoint } from "@flash-call/keys";
import { syncDirectory, writeDurably } from "./durable-write.js";
import { readNoFollow, spoolFileNames } from "./spool-directory.js";
import { hasCode, redactedReason, SPOOL_FORMAT, type SpoolReason } from "./spool-entry.js";
import { isSpoolName, nameEndpoint } from "./spool-name.js";

/** The format marker of a set-aside event's sidecar (`<name>.reason.json`). */
export const SET_ASIDE_FORMAT = "flash-call-set-aside/1";
/** The suffix of a set-aside event's file: `<name>.rejected`. */
export const SET_ASIDE_SUFFIX = ".rejected";
const REASON_SUFFIX = ".reason.json";

/** A set-aside event, as {@link listSetAside} reads it. */
export interface SetAsideEntry {
  /** The spool name it had (the file is `<name>.rejected`). */
  name: string;
  /** The integration it is for, as its name says (an unreadable file's name still does). */
  endpoint: PushEndpoint;
  /** The event, or undefined when the file is unreadable (it was set aside for that). */
  event?: AlertEvent | ChangeEvent;
  /** Why it was set aside; undefined when its sidecar is missing or unreadable. */
  reason?: SpoolReason & { set_aside_at?: string };
}

/**
 * Sets the file `from` aside as `<name>.rejected`, out of future flushes, with `reason` (redacted) in the
 * sidecar `<name>.reason.json`. The reason is written first: a crash between the two leaves the event
 * spooled (sent again, set aside again), never set aside without its reason.
 *
 * @example
 * await setAsideFile(directory, name, join(directory, claimName(name)), { code: "Unreadable", message });
 */
export async function setAsideFile(directory: string, name: string, from: string, reason: SpoolReason) {
  const sidecar = {
    format: SET_ASIDE_FORMAT,
    set_aside_at: new Date().toISOString(),
    ...redactedReason(reason),
  };
  await writeDurably(
    directory,
    `${name}${REASON_SUFFIX}`,
    `${name}${REASON_SUFFIX}`,
    `${JSON.stringify(sidecar)}\n`,
  );
  await rename(from, join(directory, `${name}${SET_ASIDE_SUFFIX}`));
  await syncDirectory(directory);
}

/** A file's JSON object, or undefined when it is missing, unreadable or not an object. */
async function readJson(directory: string, file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await readNoFollow(join(directory, file), file)) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A sidecar's reason, when it is one. */
function reasonOf(sidecar: Record<string, unknown> | undefined): SetAsideEntry["reason"] {
  if (sidecar?.format !== SET_ASIDE_FORMAT || typeof sidecar.code !== "string") return undefined;
  return {
    code: sidecar.code,
    // Text only: flash-call writes a string, and converting a planted array nested deep enough would overflow the
    // stack, failing every listing and --retry-set-aside.
    message: typeof sidecar.message === "string" ? sidecar.message : "",
    ...(typeof sidecar.status === "number" && { status: sidecar.status }),
    ...(typeof sidecar.request_id === "string" && { request_id: sidecar.request_id }),
    ...(typeof sidecar.set_aside_at === "string" && { set_aside_at: sidecar.set_aside_at }),
  };
}

/**
 * The events set aside in the spool (`<name>.rejected`), oldest first, each with the reason from its sidecar.
 *
 * @example
 * for (const { name, reason } of await listSetAside(directory)) console.log(name, reason?.code);
 */
export async function listSetAside(directory: string): Promise<SetAsideEntry[]> {
  const names = (await spoolFileNames(directory))
    .filter((file) => file.endsWith(SET_ASIDE_SUFFIX) && isSpoolName(file.slice(0, -SET_ASIDE_SUFFIX.length)))
    .map((file) => file.slice(0, -SET_ASIDE_SUFFIX.length))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const entry = await readJson(directory, `${name}${SET_ASIDE_SUFFIX}`);
      const reason = reasonOf(await readJson(directory, `${name}${REASON_SUFFIX}`));
      const event =
        entry?.format === SPOOL_FORMAT ? (entry.event as AlertEvent | ChangeEvent | undefined) : undefined;
      return {
        name,
        endpoint: nameEndpoint(name),
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
