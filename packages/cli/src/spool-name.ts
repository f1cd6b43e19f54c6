import { builtin } from "./node-builtin.js";

const { createHash, randomBytes } = builtin("node:crypto") as typeof import("node:crypto");

// `-k<hash>` names the entry's alert_key (see alertKeyTag), `-n` says it has none.
const SPOOL_NAME = /^\d{15}-\d+-\d{6}-[0-9a-f]{8}(?:-k([0-9a-f]{16})|-n)\.json$/;
const CLAIM_NAME = /^\.claimed-(\d+)-(.+)$/;
let sequence = 0;

/**
 * The part of a spool name that identifies the entry's alert_key: a hash, so any key fits in a file name and
 * the spool's alert keys are known from a directory read alone.
 *
 * @example
 * alertKeyTag(undefined); // "-n"
 */
export function alertKeyTag(alertKey: string | undefined): string {
  if (alertKey === undefined) return "-n";
  return `-k${createHash("sha256").update(alertKey, "utf8").digest("hex").slice(0, 16)}`;
}

/**
 * A new spool name: sortable by time (`now`, zero-padded), then process and sequence, a random part, and the
 * alert_key tag.
 *
 * @example
 * newSpoolName(1700000000000, "disk-db1"); // "001700000000000-4242-000001-0a1b2c3d-k5d41402abc4b2a76.json"
 */
export function newSpoolName(now: number, alertKey: string | undefined): string {
  sequence += 1;
  const time = String(now).padStart(15, "0");
  const count = String(sequence % 1_000_000).padStart(6, "0");
  return `${time}-${process.pid}-${count}-${randomBytes(4).toString("hex")}${alertKeyTag(alertKey)}.json`;
}

/**
 * Whether a file name is a spool entry's (not a claim, temp file, set-aside file or stranger).
 *
 * @example
 * isSpoolName("notes.txt"); // false
 */
export function isSpoolName(name: string): boolean {
  return SPOOL_NAME.test(name);
}

/**
 * The name of this process's claim on a spool entry: `.claimed-<pid>-<name>`.
 *
 * @example
 * claimName("001700000000000-42-000001-0a1b2c3d-n.json"); // ".claimed-4242-001700000000000-…"
 */
export function claimName(name: string): string {
  return `.claimed-${process.pid}-${name}`;
}

/**
 * The owner pid and the spool name of a claim file's name, or undefined when it is not a claim.
 *
 * @example
 * parseClaimName(".claimed-42-001700000000000-42-000001-0a1b2c3d-n.json"); // { pid: 42, name: "0017…-n.json" }
 */
export function parseClaimName(file: string): { pid: number; name: string } | undefined {
  const match = CLAIM_NAME.exec(file);
  return match ? { pid: Number(match[1]), name: match[2] ?? "" } : undefined;
}

/**
 * The alert_key tag of a spool name (or of a claim file's name), or undefined for an event without alert_key.
 * Flushes use it to keep each alert's events in order while another flush holds one of them.
 *
 * @example
 * spoolNameTag("000001700000000-42-000001-0a1b2c3d-k0123456789abcdef.json"); // "0123456789abcdef"
 */
export function spoolNameTag(file: string): string | undefined {
  return SPOOL_NAME.exec(parseClaimName(file)?.name ?? file)?.[1];
}
