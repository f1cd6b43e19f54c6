import { maskKey } from "./mask-key.js";
import { scrubUrl } from "./scrub-url.js";
import { percentEncodings, textForms, upperCaseEscapes } from "./secret-forms.js";

/**
 * Kept on globalThis under a registered symbol so that duplicate installs of this package (and
 * @flash-call/keys, which registers keys here) share one registry: a key seen by one copy is redacted by all.
 */
const REGISTRY = Symbol.for("flash-call.secrets.windows");
/**
 * The shortest secret worth registering, and the length of the pieces a text is matched by: any run of this
 * many UTF-16 code units of a secret is masked, so a key cut short by a server or a length limit is caught too.
 */
const WINDOW = 8;

/** Every {@link WINDOW}-unit piece of every registered secret, with the mask that replaces it. */
interface Registry {
  /** Pieces of the raw secrets and of their other unencoded forms (see textForms), matched in the text as it is. */
  readonly raw: Map<string, string>;
  /** Pieces of the percent-encoded forms (upper-case hex), matched in the text with its escapes upper-cased. */
  readonly escaped: Map<string, string>;
  /** Which UTF-16 code units start some piece: most positions of a text are rejected on one array read. */
  readonly starts: Uint8Array;
  readonly secrets: Set<string>;
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= {
    raw: new Map(),
    escaped: new Map(),
    starts: new Uint8Array(65536),
    secrets: new Set(),
  };
  return holder[REGISTRY];
}

function addPieces(pieces: Map<string, string>, starts: Uint8Array, form: string, mask: string): void {
  for (let at = 0; at + WINDOW <= form.length; at++) {
    const piece = form.slice(at, at + WINDOW);
    if (!pieces.has(piece)) pieces.set(piece, mask);
    starts[form.charCodeAt(at)] = 1;
  }
}

/**
 * Remembers a secret so that {@link redact} (and so every error message this package builds) masks it and every
 * piece of 8 or more characters of it, raw, lower-cased, percent-encoded, HTML- or JSON-escaped. Registration is
 * process-wide and permanent. Strings shorter than 8 characters are ignored: no real integration key is that
 * short, and masking every "k" or "test" would garble messages. Never throws, whatever the string holds.
 *
 * @example
 * ```ts
 * registerSecret(keyFromVault);
 * redact(`failed with ${keyFromVault}`); // "failed with ****#1a2b3c" (see maskKey)
 * ```
 */
export function registerSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < WINDOW) return;
  const known = registry();
  if (known.secrets.has(secret)) return;
  known.secrets.add(secret);
  const mask = maskKey(secret);
  for (const form of textForms(secret)) addPieces(known.raw, known.starts, form, mask);
  for (const form of percentEncodings(secret)) addPieces(known.escaped, known.starts, form, mask);
}

/**
 * Marks every position of `text` covered by a known piece with the mask of the first piece covering it (the
 * masks array is created on the first hit, so a clean text costs no allocation of its length).
 */
function mark(text: string, pieces: Map<string, string>, starts: Uint8Array, found: Found): void {
  if (pieces.size === 0) return;
  for (let at = 0; at + WINDOW <= text.length; at++) {
    if (starts[text.charCodeAt(at)] === 0) continue;
    const mask = pieces.get(text.slice(at, at + WINDOW));
    if (mask === undefined) continue;
    found.masks ??= new Array<string | undefined>(text.length).fill(undefined);
    for (let covered = at; covered < at + WINDOW; covered++) found.masks[covered] ??= mask;
  }
}

interface Found {
  masks?: Array<string | undefined>;
}

/**
 * Replaces every registered secret, and every run of text made of pieces of 8 or more characters of one (a
 * key cut short, a key that straddles where something else cut), raw, lower-cased, percent-encoded
 * (encodeURIComponent or form encoding, any case of hex), HTML- or JSON-escaped, by the secret's mask; then every `integration_key` value by
 * `***` (see {@link scrubUrl}), whether or not that key was registered. Linear in the length of the text: each
 * position is looked up once per form, in a table of pieces, with no regular expression per key. Run it on a
 * whole text before cutting it: a cut first could leave a piece too short to recognise.
 *
 * @example
 * ```ts
 * redact("GET /x?integration_key=abc"); // "GET /x?integration_key=***"
 * ```
 */
export function redact(text: string): string {
  const known = registry();
  if (known.secrets.size === 0) return scrubUrl(text);
  // A mask put beside text could, in theory, complete a piece of a key whose characters it shares: check again.
  for (let pass = 0; pass < 3; pass++) {
    const masked = maskPieces(text, known);
    if (masked === text) break;
    text = masked;
  }
  return scrubUrl(text);
}

function maskPieces(text: string, known: Registry): string {
  if (text.length < WINDOW) return text;
  const found: Found = {};
  mark(text, known.raw, known.starts, found);
  // Also without a "%": form encoding turns a space into "+".
  mark(upperCaseEscapes(text), known.escaped, known.starts, found);
  const masks = found.masks;
  if (masks === undefined) return text;
  let masked = "";
  let from = 0;
  for (let at = 0; at < masks.length; at++) {
    const mask = masks[at];
    if (mask === undefined) continue;
    let end = at;
    while (end < masks.length && masks[end] !== undefined) end++;
    masked += text.slice(from, at) + mask;
    from = end;
    at = end - 1;
  }
  return masked + text.slice(from);
}
