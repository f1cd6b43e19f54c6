import { maskKey } from "./mask-key.js";
import { scrubUrl } from "./scrub-url.js";
import { base64Forms, percentEncodings, textForms, upperCaseEscapes } from "./secret-forms.js";
import {
  decodeView,
  ESCAPE_KINDS,
  foldText,
  mayReadDifferently,
  type TextView,
  type ViewSpans,
} from "./secret-views.js";
import { textArgument } from "./text-argument.js";

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

/**
 * Every {@link WINDOW}-unit piece of every registered secret, with the mask that replaces it. Its shape is a
 * contract between the versions of this package in one process: fields are only ever added, and a field's meaning
 * never changes. What depends on this copy's own code (the filter, built with this copy's hash) is not kept here.
 */
interface Registry {
  /** Pieces of the raw secrets and of their other unencoded forms (see textForms), matched in the text as it is. */
  readonly raw: Map<string, string>;
  /** Pieces of the percent-encoded forms (upper-case hex), matched in the text with its escapes upper-cased. */
  readonly escaped: Map<string, string>;
  /** Which UTF-16 code units start some piece (kept for other copies of this package, which read it). */
  readonly starts: Uint8Array;
  readonly secrets: Set<string>;
  /**
   * Pieces of each secret case-folded (see foldUnit), matched in the text's folded and decoded views (only these:
   * `raw` holds forms of a secret as written, such as a placeholder's words lower-cased, see WHITESPACE). Added after the first layout: an older copy neither reads nor fills it, so the secrets it
   * registers get their folded pieces from the next copy that redacts (see foldedPieces).
   */
  folded?: Map<string, string>;
  /** How many of `secrets`, in their order, have their pieces in `folded`. */
  foldedSecrets?: number;
  /**
   * Secrets shorter than a piece, case-folded, with their masks: too short to be masked in part, each is masked
   * whole wherever it stands as a word of its own (see markShort).
   */
  short?: Map<string, string>;
  /**
   * An older layout's filter (a byte per slot) and the count it was built from: never read or written here, so that
   * a copy of that layout still finds its own (and rebuilds it when the count shows pieces it did not add).
   */
  filter?: unknown;
  filtered?: unknown;
}

/**
 * One bit per slot, at least {@link SLOTS_PER_PIECE} slots per piece: however many keys a process registers, a
 * window of a text that is no piece hits a set bit (and costs a cut and a map lookup) about one time in 32.
 */
interface PieceFilter {
  readonly bits: Uint32Array;
  /** 32 minus log2 of the slot count: a slot is the top bits of the hash's Fibonacci product (see slotOf). */
  readonly shift: number;
  /** How many pieces the bits hold: another copy of this package may have added pieces without setting bits. */
  pieces: number;
  /** The registry it filters: a registry replaced on globalThis is filtered anew, whatever its count. */
  readonly of: object;
}

/** Any odd multiplier spreads windows over the slots; this one is FNV's prime. */
const HASH_BASE = 0x01000193;
/** HASH_BASE to the power WINDOW - 1 (mod 2³²): what the unit leaving a window weighed in its hash. */
const HASH_TOP = Array.from({ length: WINDOW - 1 }).reduce<number>((power) => Math.imul(power, HASH_BASE), 1);
/** Slots per piece: a window that is no piece hits a set bit about once in this many. */
const SLOTS_PER_PIECE = 32;
/** log2 of the fewest slots (8 KiB of bits) and of the most (64 MiB of bits: 16 million pieces, some 300,000 keys). */
const MIN_SLOT_BITS = 16;
const MAX_SLOT_BITS = 29;

/** The hash of the WINDOW units of `text` from `at`: Σ unit·BASE^(WINDOW-1-i), mod 2³², as `mark` rolls it. */
function hashAt(text: string, at: number): number {
  let hash = 0;
  for (let index = at; index < at + WINDOW; index++)
    hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(index)) | 0;
  return hash;
}

/** The slot of a window's hash: the top bits of its product with 2³²/φ, which spreads any hashes evenly. */
const slotOf = (hash: number, shift: number) => Math.imul(hash, 0x9e3779b1) >>> shift;

const isSet = (filter: PieceFilter, hash: number): boolean => {
  const slot = slotOf(hash, filter.shift);
  return ((filter.bits[slot >>> 5] as number) & (1 << (slot & 31))) !== 0;
};

function setSlot(filter: PieceFilter, piece: string): void {
  const slot = slotOf(hashAt(piece, 0), filter.shift);
  filter.bits[slot >>> 5] = (filter.bits[slot >>> 5] as number) | (1 << (slot & 31));
}

/** Whether `count` pieces fit in `filter` at {@link SLOTS_PER_PIECE} (or it is as large as it may grow). */
const fits = (filter: PieceFilter, count: number): boolean =>
  count * SLOTS_PER_PIECE <= 2 ** (32 - filter.shift) || filter.shift === 32 - MAX_SLOT_BITS;

/**
 * This copy's filter of the shared registry's pieces. Kept here, not in the registry: another version of this
 * package may hash differently, and a filter built with another hash would let pieces through unseen.
 */
let ownFilter: PieceFilter | undefined;

/** How many pieces `known` holds: pieces are never removed, so the same count means the same pieces. */
const pieceCount = (known: Registry): number =>
  known.raw.size + known.escaped.size + (known.folded?.size ?? 0);

/** This copy's filter if it holds every piece of `known` (the registry now on globalThis), else undefined. */
const currentFilter = (known: Registry): PieceFilter | undefined =>
  ownFilter?.of === known && ownFilter.pieces === pieceCount(known) ? ownFilter : undefined;

/**
 * This copy's filter, rebuilt (twice as large as the pieces need, so that a growing registry rebuilds it only at
 * each doubling) when the pieces changed since it was built or last kept up to date. Pieces are never removed, so
 * the same count means the same pieces, whichever copy of this package added them.
 */
function filterOf(known: Registry): PieceFilter {
  const current = currentFilter(known);
  if (current !== undefined) return current;
  ownFilter = buildFilter(known);
  return ownFilter;
}

/** A filter of every piece `known` holds now, twice as large as they need. */
function buildFilter(known: Registry): PieceFilter {
  const count = pieceCount(known);
  let slotBits = MIN_SLOT_BITS;
  while (slotBits < MAX_SLOT_BITS && 2 ** slotBits < 2 * count * SLOTS_PER_PIECE) slotBits++;
  const filter: PieceFilter = {
    bits: new Uint32Array(2 ** (slotBits - 5)),
    shift: 32 - slotBits,
    pieces: count,
    of: known,
  };
  for (const pieces of [known.raw, known.escaped, known.folded ?? new Map<string, string>()]) {
    for (const piece of pieces.keys()) setSlot(filter, piece);
  }
  return filter;
}

const emptyRegistry = (): Registry => ({
  raw: new Map(),
  escaped: new Map(),
  starts: new Uint8Array(65536),
  secrets: new Set(),
});

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= emptyRegistry();
  return holder[REGISTRY];
}

/** Adds every piece of `form` to `pieces`, and, when given, sets its slot in `filter`. */
function addPieces(
  pieces: Map<string, string>,
  starts: Uint8Array,
  filter: PieceFilter | undefined,
  form: string,
  mask: string,
): void {
  for (let at = 0; at + WINDOW <= form.length; at++) {
    const piece = form.slice(at, at + WINDOW);
    if (!pieces.has(piece)) {
      pieces.set(piece, mask);
      if (filter !== undefined) setSlot(filter, piece);
    }
    starts[form.charCodeAt(at)] = 1;
  }
}

/**
 * A string with whitespace is no key (keys hold none): a placeholder ("paste your integration key here") or a
 * paste gone wrong. It stays masked as written, but not in every case and escape of its words, which would mask
 * those words everywhere ("FLASHDUTY_INTEGRATION_KEY" in the very message that says the key is malformed).
 */
const WHITESPACE = /\s/;

/**
 * The shortest secret masked at all (whole, as a word). A "key" of 1 to 5 characters is a placeholder ("1",
 * "test"): masking it as a word would garble messages ("**** alert: **** failed") and break JSON output (a number
 * masked), for a string that opens no integration.
 */
const SHORTEST_MASKED = 6;

/** Adds the folded pieces of one secret (none for a secret with whitespace, see WHITESPACE). */
function addFoldedPieces(
  folded: Map<string, string>,
  known: Registry,
  filter: PieceFilter | undefined,
  secret: string,
) {
  if (!WHITESPACE.test(secret)) addPieces(folded, known.starts, filter, foldText(secret), maskKey(secret));
}

/**
 * Adds the folded pieces of every secret that has none yet: those an older copy of this package registered (this
 * copy adds a secret's own as it registers it). Walks `secrets` only when some are missing.
 */
function foldedPieces(known: Registry, filter: PieceFilter | undefined): Map<string, string> {
  known.folded ??= new Map();
  const folded = known.folded;
  const done = known.foldedSecrets ?? 0;
  if (done < known.secrets.size) {
    let index = 0;
    for (const secret of known.secrets) {
      if (index++ >= done) addFoldedPieces(folded, known, filter, secret);
    }
    known.foldedSecrets = known.secrets.size;
  }
  return folded;
}

/**
 * Remembers a secret so that {@link redact} (and so every error message this package builds) masks it and every
 * piece of 8 or more characters of it: raw, in any case of its letters, percent-encoded (any bytes, any case of
 * hex), as HTML character references, JSON- or JavaScript-escaped, and those escapes nested up to three deep, and
 * in base64 or URL-safe base64 wherever it starts in a group (see base64Forms). Registration is process-wide and
 * permanent. A string of 6 or 7 characters (no real integration key is that
 * short) is masked whole, in the same forms, wherever it stands as a word of its own: not inside a longer word, so
 * that it does not garble other words; a shorter one is not masked (see SHORTEST_MASKED). Never throws, whatever
 * the string holds.
 *
 * @example
 * ```ts
 * registerSecret(keyFromVault);
 * redact(`failed with ${keyFromVault}`); // "failed with ****#1a2b3c" (see maskKey)
 * ```
 */
export function registerSecret(secret: string): void {
  addSecret(registry(), secret);
}

/** Adds `secret`'s pieces to `known` (see {@link registerSecret}), keeping this copy's filter of it up to date. */
function addSecret(known: Registry, secret: string): void {
  if (typeof secret !== "string" || secret === "") return;
  if (secret.length < WINDOW) {
    if (secret.length < SHORTEST_MASKED || WHITESPACE.test(secret)) return;
    known.short ??= new Map();
    known.short.set(foldText(secret), maskKey(secret));
    return;
  }
  if (known.secrets.has(secret)) return;
  // The filter is kept up to date as pieces are added, unless it was already behind (pieces added by another
  // copy of this package, which does not update it) or they no longer fit: then filterOf rebuilds it.
  const filter = currentFilter(known);
  // Before the secret joins `secrets`: every secret before it then has its folded pieces, and this one's are added
  // below without walking them all again.
  const folded = foldedPieces(known, filter);
  known.secrets.add(secret);
  const mask = maskKey(secret);
  for (const form of textForms(secret)) addPieces(known.raw, known.starts, filter, form, mask);
  for (const form of percentEncodings(secret)) addPieces(known.escaped, known.starts, filter, form, mask);
  // Base64 is matched as written, as the raw forms are (its letters' case is its content). Not for a string with
  // whitespace: a placeholder's words are masked as written, not in every encoding.
  if (!WHITESPACE.test(secret)) {
    for (const form of base64Forms(secret)) addPieces(known.raw, known.starts, filter, form, mask);
  }
  addFoldedPieces(folded, known, filter, secret);
  known.foldedSecrets = known.secrets.size;
  const count = pieceCount(known);
  if (filter !== undefined && fits(filter, count)) filter.pieces = count;
}

/**
 * Marks every position of the text `view` was made from that a known piece of `view` covers, with the mask of the
 * first piece covering it (the masks array is created on the first hit, so a clean text costs no allocation of its
 * length). Each window's hash is rolled from the last one's, and only a window whose hash some piece has is cut
 * out and looked up, in each of `maps` in turn: exact, as a piece's window always has its piece's hash.
 */
function mark(
  view: TextView,
  maps: ReadonlyArray<Map<string, string>>,
  filter: PieceFilter,
  found: Found,
): void {
  const { text, spans } = view;
  if (text.length < WINDOW) return;
  let hash = hashAt(text, 0);
  for (let at = 0; ; at++) {
    if (isSet(filter, hash)) {
      const piece = text.slice(at, at + WINDOW);
      let mask: string | undefined;
      for (let index = 0; mask === undefined && index < maps.length; index++) mask = maps[index]?.get(piece);
      if (mask !== undefined) cover(found, spans, at, at + WINDOW, mask);
    }
    if (at + WINDOW >= text.length) return;
    const leaving = Math.imul(text.charCodeAt(at), HASH_TOP);
    hash = (Math.imul(hash - leaving, HASH_BASE) + text.charCodeAt(at + WINDOW)) | 0;
  }
}

/** Marks with `mask` the positions of the original text that the view's units `from` to `to - 1` came from. */
function cover(found: Found, spans: ViewSpans | undefined, from: number, to: number, mask: string): void {
  const start = spans === undefined ? from : (spans.starts[from] as number);
  const end = spans === undefined ? to : (spans.ends[to - 1] as number);
  found.masks ??= new Array<string | undefined>(found.length).fill(undefined);
  for (let covered = start; covered < end; covered++) found.masks[covered] ??= mask;
}

/** A unit that may be part of a word: a letter or digit (of any script), `_` or `-`. */
const isWordUnit = (unit: number): boolean =>
  unit >= 0x80 ||
  (unit >= 0x30 && unit <= 0x39) ||
  (unit >= 0x61 && unit <= 0x7a) ||
  (unit >= 0x41 && unit <= 0x5a) ||
  unit === 0x5f ||
  unit === 0x2d;

/**
 * Whether the unit before `at` ends a word: a letter after a backslash is an escape (`\n`, `\t`), which ends
 * whatever came before it.
 */
const wordEndsBefore = (text: string, at: number): boolean =>
  !isWordUnit(text.charCodeAt(at - 1)) || text.charCodeAt(at - 2) === 0x5c;

/** Marks each short secret of `short` that stands as a word of its own in the folded `view`. */
function markShort(view: TextView, short: Map<string, string>, found: Found): void {
  const { text } = view;
  for (const [secret, mask] of short) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      const end = at + secret.length;
      if (!wordEndsBefore(text, at) || isWordUnit(text.charCodeAt(end))) continue;
      cover(found, view.spans, at, end, mask);
    }
  }
}

interface Found {
  /** The original text's length: the masks array's. */
  readonly length: number;
  masks?: Array<string | undefined>;
}

/**
 * How many rounds of every kind of escape are decoded: three layers of escapes, in any order (a key
 * percent-encoded, then that escaped again: `%2561`, `%5Cu0061`, `&#37;61`).
 */
const DECODE_ROUNDS = 3;

/** The registry and its counts when {@link secretRegistryState} last answered, and the token it answered with. */
let lastState: { of: Registry; count: number; token: object } | undefined;

/**
 * A token that stays the same object while the registry stays as it is, and is a new one once a secret is added
 * (or another copy of this package replaces the registry): a cache of texts known to hold no secret is good only
 * while the token it was filled under is current.
 *
 * @example
 * ```ts
 * if (cache.state !== secretRegistryState()) cache = { state: secretRegistryState(), clean: new Set() };
 * ```
 */
export function secretRegistryState(): object {
  const known = registry();
  const count = known.secrets.size + (known.short?.size ?? 0) + pieceCount(known);
  if (lastState === undefined || lastState.of !== known || lastState.count !== count) {
    lastState = { of: known, count, token: Object.freeze({}) };
  }
  return lastState.token;
}

/**
 * Replaces every registered secret, and every run of text made of pieces of 8 or more characters of one (a
 * key cut short, a key that straddles where something else cut), by the secret's mask: raw or in any case of its
 * letters, percent-encoded (the usual encoders' forms, and any byte escaped, in any case of hex), as HTML
 * character references, JSON- or JavaScript-escaped, and those escapes nested up to three deep, or in base64 or
 * URL-safe base64. A secret shorter than a piece (6 or 7 characters) is masked whole where it stands as a word of its own. Then every `integration_key` value becomes
 * `***` (see {@link scrubUrl}), whether or not that key was registered. Linear in the length of the text: the
 * text, each of its decoded views and their folded forms are scanned once each against tables of pieces, with no
 * regular expression per key. Run it on a whole text before cutting it: a cut first could leave a piece too short
 * to recognise.
 *
 * @throws FlashdutyConfigError when `text` is not a string (plain JavaScript may pass anything)
 * @example
 * ```ts
 * redact("GET /x?integration_key=abc"); // "GET /x?integration_key=***"
 * ```
 */
export function redact(text: string): string {
  // Plain JavaScript may pass anything: a typed error, never a TypeError from deep in the scan.
  if (typeof text !== "string") textArgument(text, "redact()");
  const known = registry();
  if (known.secrets.size === 0 && !known.short?.size) return scrubUrl(text);
  // Pieces and secrets are only ever added: the same counts mean the same registry.
  const secretCount = known.secrets.size + (known.short?.size ?? 0) + pieceCount(known);
  if (last !== undefined && last.text === text && last.of === known && last.secretCount === secretCount)
    return last.redacted;
  const given = text;
  const redacted = scrubUrl(maskUntilClean(text, known, filterOf));
  if (given.length >= REMEMBERED_LENGTH) last = { text: given, of: known, secretCount, redacted };
  return redacted;
}

/**
 * The last long text redacted, and its answer while no secret was added since: an answer's body is redacted for
 * the error's message and again for its `body`, and a 64 KiB body full of escapes takes milliseconds.
 */
let last: { text: string; of: Registry; secretCount: number; redacted: string } | undefined;
/** Shorter texts cost less to redact again than to compare with the last one. */
const REMEMBERED_LENGTH = 1024;

/** `text` with every piece of `known`'s secrets masked, again until masking finds nothing more. */
function maskUntilClean(text: string, known: Registry, filterFor: (known: Registry) => PieceFilter): string {
  // A mask put beside text could, in theory, complete a piece of a key whose characters it shares: check again.
  for (let pass = 0; pass < 3; pass++) {
    const masked = maskPieces(text, known, filterFor);
    if (masked === text) break;
    text = masked;
  }
  return text;
}

/**
 * The registries of the secrets {@link redactWith} was last given, by those secrets (each list as JSON, which
 * tells any two lists apart), at most {@link KEPT_LISTS}: a caller gives the same few keys again and again, and
 * building a registry's pieces costs more than a scan.
 */
const givenRegistries = new Map<string, { known: Registry; filter: PieceFilter }>();
const KEPT_LISTS = 16;

function givenRegistry(secrets: readonly string[]): { known: Registry; filter: PieceFilter } {
  const name = JSON.stringify(secrets);
  const kept = givenRegistries.get(name);
  if (kept !== undefined) return kept;
  const known = emptyRegistry();
  for (const secret of secrets) addSecret(known, secret);
  foldedPieces(known, undefined);
  const made = { known, filter: buildFilter(known) };
  if (givenRegistries.size >= KEPT_LISTS)
    givenRegistries.delete(givenRegistries.keys().next().value as string);
  givenRegistries.set(name, made);
  return made;
}

/**
 * {@link redact}, with `secrets` masked as if they were registered, but without registering them: for a text
 * that may quote keys this process only passes along (a mock server's requests), whose registration would grow
 * for every new key and mask them in the whole process. Strings that are not strings, and those under 6
 * characters, are left out, as `registerSecret` leaves them.
 *
 * @throws FlashdutyConfigError when `text` is not a string
 * @example
 * ```ts
 * redactWith(`bad key ${key.toUpperCase()}`, [key]); // "bad key ****#1a2b3c"
 * ```
 */
export function redactWith(text: string, secrets: Iterable<string>): string {
  if (typeof text !== "string") textArgument(text, "redactWith()");
  const given = [...secrets].filter((secret) => typeof secret === "string" && secret !== "");
  if (given.length === 0) return redact(text);
  const { known, filter } = givenRegistry(given);
  return redact(maskUntilClean(text, known, () => filter));
}

function maskPieces(text: string, known: Registry, filterFor: (known: Registry) => PieceFilter): string {
  const short = known.short?.size ? known.short : undefined;
  if (text.length < WINDOW && short === undefined) return text;
  const found: Found = { length: text.length };
  const folded = foldedPieces(known, undefined);
  const filter = filterFor(known);
  const plain: TextView = { text, spans: undefined };
  // Also without a "%": form encoding turns a space into "+".
  const escapedForm = upperCaseEscapes(text);
  if (escapedForm === text) {
    // No escape to upper-case (most texts: no "%"): one scan for every table. The output is the separate scans':
    // a run of marked positions becomes the mask of its first position, which only a window starting there
    // covers, and that window is looked up among the raw pieces first, as the first scan did.
    mark(plain, [known.raw, known.escaped, folded], filter, found);
  } else {
    mark(plain, [known.raw, folded], filter, found);
    mark({ text: escapedForm, spans: undefined }, [known.escaped], filter, found);
  }
  if (short !== undefined) markShort(plain, short, found);
  // The text as a reader would take it: its letters folded, then, layer by layer, its escapes decoded.
  if (mayReadDifferently(text)) {
    const scanFolded = (foldedView: TextView) => {
      mark(foldedView, [folded], filter, found);
      if (short !== undefined) markShort(foldedView, short, found);
    };
    const foldedText = foldText(text);
    if (foldedText !== text || escapedForm !== text) scanFolded({ text: foldedText, spans: undefined });
    let view = plain;
    for (let round = 0; round < DECODE_ROUNDS; round++) {
      for (const kind of ESCAPE_KINDS) {
        const decoded = decodeView(view, kind);
        if (decoded === undefined) continue;
        view = decoded;
        scanFolded({ text: foldText(view.text), spans: view.spans });
      }
    }
  }
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
