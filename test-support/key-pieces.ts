/**
 * The length of the shortest run of a key's characters that counts as a leak: the product's rule is that no piece of
 * 8 UTF-16 units of an integration key appears in any error, log, hook, span, output, file or page.
 */
export const LEAK_PIECE_LENGTH = 8;

/** Which runs of a key {@link keyPieces} lists. */
export interface KeyPieceOptions {
  /** The run length. @default LEAK_PIECE_LENGTH (8) */
  length?: number;
  /** Whether the percent-encoded form (`encodeURIComponent`) is cut up too, as a URL carries it. @default true */
  encoded?: boolean;
}

/**
 * Every run of `length` units of each key, raw and (by default) percent-encoded, without repeats.
 *
 * @example
 * keyPieces("0123456789").slice(0, 2); // ["01234567", "12345678"]
 */
export function keyPieces(keys: string | readonly string[], options: KeyPieceOptions = {}): string[] {
  const { length = LEAK_PIECE_LENGTH, encoded = true } = options;
  const pieces = new Set<string>();
  for (const key of typeof keys === "string" ? [keys] : keys) {
    for (const form of encoded ? [key, encodeURIComponent(key)] : [key]) {
      for (let at = 0; at + length <= form.length; at++) pieces.add(form.slice(at, at + length));
    }
  }
  return [...pieces];
}

/**
 * The pieces of the keys (see {@link keyPieces}) that `text` holds: `[]` when it holds none, so that a failing
 * assertion shows what leaked.
 *
 * @example
 * expect(leakedPieces(stderr, [mock.integrationKey])).toEqual([]);
 */
export function leakedPieces(
  text: string,
  keys: string | readonly string[],
  options: KeyPieceOptions = {},
): string[] {
  return keyPieces(keys, options).filter((piece) => text.includes(piece));
}
