import { redact, secretRegistryState } from "@flash-call/errors";
import { codePointLength, firstCodePoints } from "./code-points.js";
import type { Truncation } from "./event.js";

/** A prepared event's fields, as the SDK built them: strings, label records and the images' records. */
type Built = Record<string, unknown>;

/**
 * Joins the texts of one event for the check that finds nothing in almost every event. A key holds no control
 * character (the keys package refuses one), so no piece of a key spans two texts joined by it.
 */
const JOIN = "\u0000";

function textsOf(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const item of value) textsOf(item, into);
  else if (typeof value === "object" && value !== null) {
    for (const name of Object.keys(value)) {
      into.push(name);
      textsOf((value as Built)[name], into);
    }
  }
}

/**
 * `masked`, cut to the code points of `original` when the mask made it longer (a mask can be longer than the piece
 * of key it covers): a field prepared at its limit stays within it, so Flashduty neither truncates it unreported nor
 * refuses it.
 */
function withinLength(masked: string, original: string): string {
  if (masked === original) return masked;
  const limit = codePointLength(original);
  return codePointLength(masked) > limit ? firstCodePoints(masked, limit) : masked;
}

/**
 * Masks what `redact` masks in every text of `value`, in place, and pushes the path of each; a name (a label's)
 * holding a key is told to `badName` instead: masked, it would not be a valid label name, which Flashduty refuses.
 */
function maskIn(value: Built, prefix: string, masked: string[], badName: (path: string) => void): void {
  for (const name of Object.keys(value)) {
    const field = value[name];
    const shownName = redact(name);
    const path = `${prefix}${shownName}`;
    if (shownName !== name) badName(path);
    if (typeof field === "string") {
      const safe = withinLength(redact(field), field);
      if (safe !== field) {
        value[name] = safe;
        masked.push(path);
      }
    } else if (Array.isArray(field)) {
      field.forEach((item, index) => {
        if (typeof item === "object" && item !== null)
          maskIn(item as Built, `${path}[${index}].`, masked, badName);
      });
    } else if (typeof field === "object" && field !== null)
      maskIn(field as Built, `${path}.`, masked, badName);
  }
}

/** The issue of a label name holding a key: masked, it would not be a name Flashduty accepts. */
export const KEY_IN_LABEL_NAME =
  "is a label name holding an integration key (or a piece of one): rename the label";

/**
 * Texts of recent events found to hold no secret, while the registry stays as it was (see secretRegistryState): an
 * alert pushed again and again (every check interval while it lasts) is scanned once, then looked up. Only short
 * texts, and only so many: dropped whole when full, as the texts a process sends again are few and come back soon.
 */
let clean: { state: object; texts: Set<string> } | undefined;
const CLEAN_TEXTS = 256;
const CLEAN_TEXT_LENGTH = 4096;

function isKnownClean(joined: string): boolean {
  return clean !== undefined && clean.state === secretRegistryState() && clean.texts.has(joined);
}

function rememberClean(joined: string): void {
  if (joined.length > CLEAN_TEXT_LENGTH) return;
  const state = secretRegistryState();
  if (clean?.state !== state || clean.texts.size >= CLEAN_TEXTS) clean = { state, texts: new Set() };
  clean.texts.add(joined);
}

/**
 * Masks an integration key (or any piece of one, in any encoding `redact` reads, and any `integration_key=` value)
 * written into a prepared event's texts, in place, and returns the paths of the fields masked (empty for almost
 * every event). Flashduty shows an event's title, description and labels to everyone on call, and the CLI's spool
 * keeps an undelivered event in a file: neither may hold a key, not even one pasted into a title by mistake. The
 * event stays deliverable; the paths are reported as each truncation is (see preparationWarnings). A label name
 * holding a key cannot be masked into a valid name: it is told to `badName`, for the caller to refuse the event.
 *
 * @example
 * ```ts
 * const masked = maskSecretFields(event, (path) => report(checks, path, "holds an integration key"));
 * // ["description"] when the description quoted a push URL
 * ```
 */
export function maskSecretFields(event: Built, badName: (path: string) => void): string[] {
  const texts: string[] = [];
  textsOf(event, texts);
  const joined = texts.join(JOIN);
  if (isKnownClean(joined)) return [];
  if (redact(joined) === joined) {
    rememberClean(joined);
    return [];
  }
  const masked: string[] = [];
  maskIn(event, "", masked, badName);
  return masked;
}

/**
 * The warnings a send logs for a prepared event or change: one for each value shortened as Flashduty would, and
 * one for each field masked for holding an integration key. The SDK's instances log them at `warn`; the CLI's dry
 * run prints them; a caller of `prepareEvent` or `prepareChange` can show them the same way.
 *
 * @example
 * ```ts
 * const prepared = prepareEvent(event);
 * for (const line of preparationWarnings(prepared)) console.warn(line);
 * ```
 */
export function preparationWarnings(prepared: {
  truncations: readonly Truncation[];
  masked?: readonly string[];
}): string[] {
  const lines = prepared.truncations.map(
    (cut) => `${cut.path} was ${cut.from} characters; truncated to ${cut.to} as Flashduty would`,
  );
  for (const path of prepared.masked ?? []) {
    lines.push(`${path} held an integration key (or a piece of one): it is sent with the key masked`);
  }
  return lines;
}
