const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 62^22 > 2^128, so 22 digits hold any 128-bit value: the length of the keys Flashduty returns. */
const ALERT_KEY_LENGTH = 22;

/** Encodes 16 bytes as exactly 22 base62 characters (left-padded with "0"). */
export function toBase62(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  let text = "";
  while (value > 0n) {
    text = BASE62[Number(value % 62n)]! + text;
    value /= 62n;
  }
  return text.padStart(ALERT_KEY_LENGTH, "0");
}

/**
 * Generates the `alert_key` of an event that arrived without one: 22 base62 characters, like
 * `"9qJ798NJoXS4UMVB5SHsNj"`. Derived from the integration, `title_rule` and labels, so re-pushing the same
 * alert (a retry, a repeat) groups into the same alert instead of opening a new one each time.
 */
export async function generateAlertKey(
  integration: string,
  titleRule: string,
  labels: Readonly<Record<string, string>> | undefined,
): Promise<string> {
  const sortedLabels = Object.entries(labels ?? {}).sort(([left], [right]) => (left < right ? -1 : 1));
  const material = JSON.stringify([integration, titleRule, sortedLabels]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return toBase62(new Uint8Array(digest));
}

/** Whether `value` looks like a generated alert key (22 base62 characters). */
export function isGeneratedAlertKey(value: string): boolean {
  return /^[0-9A-Za-z]{22}$/.test(value);
}

/** A random alert key of the same shape, for answers that are not tied to an event. */
export function randomAlertKey(): string {
  return toBase62(crypto.getRandomValues(new Uint8Array(16)));
}
