const HEX = "0123456789abcdef";

/** Random lowercase hex of `length` characters, from the platform's CSPRNG. */
export function randomHex(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)));
  let text = "";
  for (const byte of bytes) text += HEX[byte >> 4]! + HEX[byte & 15]!;
  return text.slice(0, length);
}

/** A request id shaped like Flashduty's: 32 lowercase hex characters. */
export function newRequestId(): string {
  return randomHex(32);
}

/** A fresh integration key for a mock server, shaped like a console key (32 hex characters). */
export function newIntegrationKey(): string {
  return randomHex(32);
}
