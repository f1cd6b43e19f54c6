/** Below this length even a fingerprint narrows the key down too far: such keys are fully masked. */
const MIN_LENGTH_FOR_FINGERPRINT = 16;

/** FNV-1a, 32 bits, over the UTF-8 of a text: cheap, stable across runtimes, not a secret-keeping hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The printable stand-in of a secret. It shows no character of the key: keys of 16 characters or more become
 * `****#` followed by 6 lowercase hex characters of a fingerprint (FNV-1a 32-bit of the key's UTF-8), enough to
 * tell two keys apart in a log; shorter keys become `****`.
 *
 * @example
 * ```ts
 * maskKey("0123456789abcdef0123456789abcdef"); // "****#" + 6 hex characters, the same for every call
 * maskKey("short"); // "****"
 * ```
 */
export function maskKey(key: string): string {
  if (typeof key !== "string" || key.length < MIN_LENGTH_FOR_FINGERPRINT) return "****";
  return `****#${fnv1a(key).toString(16).padStart(8, "0").slice(0, 6)}`;
}
