import type { PushEndpoint } from "@flash-call/keys";
import { builtin } from "./node-builtin.js";

// Required at the first name made, not at import: a push without a spool imports this file and names nothing.
const crypto = () => builtin("node:crypto") as typeof import("node:crypto");

// `-k<hash>` names the entry's alert_key (see orderTag), `-n` says it has none, `-c<hash>` names a change
// entry's change_key. A flash-call from before change events lists no `-c` name, so it never sends a change as
// an alert.
const SPOOL_NAME = /^\d{15}-\d+-\d{6}-[0-9a-f]{8}(?:-([kc][0-9a-f]{16})|-n)\.json$/;
const CLAIM_NAME = /^\.claimed-(\d+)-(.+)$/;
let sequence = 0;
/** One past the latest time a spool name's 15 digits can hold. */
const LATEST_NAME_TIME = 10 ** 15;

/**
 * The part of a spool name that identifies the entry's kind and order key: `-k` and a hash of an alert's
 * alert_key, `-c` and a hash of a change's change_key, `-n` for an alert without alert_key. A hash, so any key
 * fits in a file name and the spool's keys are known from a directory read alone; the letter, so an alert_key
 * and a change_key that are the same text never hold each other back.
 *
 * @example
 * orderTag("alert", undefined); // "-n"
 * orderTag("change", "deploy-42"); // "-c…" (16 hex digits)
 */
export function orderTag(endpoint: PushEndpoint, key: string | undefined): string {
  if (endpoint === "alert" && key === undefined) return "-n";
  const letter = endpoint === "change" ? "c" : "k";
  return `-${letter}${crypto()
    .createHash("sha256")
    .update(key ?? "", "utf8")
    .digest("hex")
    .slice(0, 16)}`;
}

/**
 * A new spool name: sortable by time (`now`, zero-padded), then process and sequence, a random part, and the
 * order tag (see {@link orderTag}).
 *
 * @example
 * newSpoolName(1700000000000, orderTag("alert", "disk-db1")); // "001700000000000-4242-000001-0a1b2c3d-k5d41402abc4b2a76.json"
 */
export function newSpoolName(now: number, tag: string): string {
  sequence += 1;
  const time = String(now).padStart(15, "0");
  const count = String(sequence % 1_000_000).padStart(6, "0");
  return `${time}-${process.pid}-${count}-${crypto().randomBytes(4).toString("hex")}${tag}.json`;
}

/**
 * The latest naming time of each order tag (as {@link orderTag} writes it) among `files`: the spool's entries and
 * claims (set-aside files, temp files and strangers do not count; neither do alerts without alert_key, which have
 * no order to keep). See {@link nameTimeAfter}.
 *
 * @example
 * latestNameTimes(["001700000000000-42-000001-0a1b2c3d-k0123456789abcdef.json"]); // Map { "-k0123…" => 1700000000000 }
 */
export function latestNameTimes(files: Iterable<string>): Map<string, number> {
  const latest = new Map<string, number>();
  for (const file of files) {
    const name = parseClaimName(file)?.name ?? file;
    const tag = SPOOL_NAME.exec(name)?.[1];
    if (tag === undefined) continue;
    const time = Number(name.slice(0, 15));
    if (time > (latest.get(`-${tag}`) ?? -1)) latest.set(`-${tag}`, time);
  }
  return latest;
}

/**
 * The time to name a new entry of `tag` by: `now`, or just after the latest entry of its alert (or change) already
 * in the spool when that one is named later. Names sort by time first, and a flush sends them in that order, so a
 * wall clock stepped back (NTP, a restored VM) between two events of one alert, or two processes naming entries of
 * it in the same millisecond, must not put the later event first: a resolution sent before its alert's trigger
 * would leave the alert open. The entry's own dates (`created_at`, an undated event's `event_time`) stay `now`.
 *
 * @example
 * nameTimeAfter(latestNameTimes(files), orderTag("alert", "disk-db1"), Date.now());
 */
export function nameTimeAfter(latest: ReadonlyMap<string, number>, tag: string, now: number): number {
  const previous = latest.get(tag);
  if (previous === undefined || previous < now) return now;
  // A name holds 15 digits of time: past them the entry would not be a spool name, and no flush would see it. Only
  // a planted or damaged name gets there; the entry is then named by the clock, kept rather than ordered.
  return previous + 1 < LATEST_NAME_TIME ? previous + 1 : now;
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
 * The order tag of a spool name (or of a claim file's name) without its dash — `k…` for an alert_key, `c…` for
 * a change_key — or undefined for an alert without alert_key. Flushes use it to keep each alert's and each
 * change's events in order while another flush holds one of them.
 *
 * @example
 * spoolNameTag("000001700000000-42-000001-0a1b2c3d-k0123456789abcdef.json"); // "k0123456789abcdef"
 */
export function spoolNameTag(file: string): string | undefined {
  return SPOOL_NAME.exec(parseClaimName(file)?.name ?? file)?.[1];
}

/**
 * The endpoint a spool name (or a claim file's name) says its entry is for: `change` for a `-c` tag, else
 * `alert`. Known from the name alone, so a flush with no destination for an endpoint leaves its files unopened.
 *
 * @example
 * nameEndpoint("000001700000000-42-000001-0a1b2c3d-n.json"); // "alert"
 */
export function nameEndpoint(file: string): PushEndpoint {
  return spoolNameTag(file)?.startsWith("c") === true ? "change" : "alert";
}
