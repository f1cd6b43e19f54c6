/**
 * The shortest piece of a key that counts as a leak: from 8 characters on, a fragment narrows a key down
 * enough to help guess it. Shorter registered strings are ignored (as by `registerSecret`).
 */
export const FRAGMENT_LENGTH = 8;

/** The mask a key fragment is replaced with: no character and no length of the key. */
const FRAGMENT_MASK = "****";

/** Every 8-character window of every key the CLI was given; built as keys are remembered. */
const windows = new Set<string>();

/**
 * Remembers a key so that {@link maskKeyFragments} hides any 8-character piece of it. Registration by
 * `registerSecret` masks a key found whole; this catches what a cut somewhere upstream left of it (a title
 * truncated to Flashduty's limit in a dry run, a label name split off at `=`, an excerpt of a server body).
 *
 * @example
 * rememberKey("0a1b2c3d4e5f6a7b");
 * maskKeyFragments("id 2c3d4e5f6a7b…"); // "id ****…"
 */
export function rememberKey(key: string): void {
  for (let start = 0; start + FRAGMENT_LENGTH <= key.length; start += 1) {
    windows.add(key.slice(start, start + FRAGMENT_LENGTH));
  }
}

/**
 * Replaces every run of text covered by 8-character pieces of remembered keys with `****`. One pass over the
 * text with a set lookup per position: linear in its length, whatever the keys.
 *
 * @example
 * rememberKey("0a1b2c3d4e5f6a7b");
 * maskKeyFragments("key 0a1b2c3d4e here"); // "key **** here"
 */
export function maskKeyFragments(text: string): string {
  if (windows.size === 0 || text.length < FRAGMENT_LENGTH) return text;
  let covered: Uint8Array | undefined;
  for (let start = 0; start + FRAGMENT_LENGTH <= text.length; start += 1) {
    if (windows.has(text.slice(start, start + FRAGMENT_LENGTH))) {
      covered ??= new Uint8Array(text.length);
      covered.fill(1, start, start + FRAGMENT_LENGTH);
    }
  }
  if (covered === undefined) return text;
  let masked = "";
  let index = 0;
  while (index < text.length) {
    if (covered[index] === 1) {
      while (index < text.length && covered[index] === 1) index += 1;
      masked += FRAGMENT_MASK;
    } else {
      const start = index;
      while (index < text.length && covered[index] !== 1) index += 1;
      masked += text.slice(start, index);
    }
  }
  return masked;
}
