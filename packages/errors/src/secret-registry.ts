import { maskKey } from "./mask-key.js";
import { scrubUrl } from "./scrub-url.js";

/**
 * Kept on globalThis under a registered symbol so that duplicate installs of this package (and
 * @flash-call/keys, which registers keys here) share one registry: a key seen by one copy is redacted by all.
 */
const REGISTRY = Symbol.for("flash-call.secrets");
const MIN_SECRET_LENGTH = 8;

type Registry = Map<string, string>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/**
 * Remembers a secret so that {@link redact} (and so every error message this package builds) replaces it,
 * raw or URL-encoded, by its mask. Registration is process-wide and permanent. Strings shorter than 8 characters
 * are ignored: no real integration key is that short, and masking every "k" or "test" would garble messages.
 *
 * @example
 * ```ts
 * registerSecret(keyFromVault);
 * redact(`failed with ${keyFromVault}`); // "failed with abcd…****"
 * ```
 */
export function registerSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) return;
  const mask = maskKey(secret);
  const known = registry();
  known.set(secret, mask);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) known.set(encoded, mask);
}

/**
 * Replaces every registered secret (raw and URL-encoded forms) by its mask, and every `integration_key=`
 * query value by `***` (see {@link scrubUrl}), whether or not that key was registered.
 *
 * @example
 * ```ts
 * redact("GET /x?integration_key=abc"); // "GET /x?integration_key=***"
 * ```
 */
export function redact(text: string): string {
  const known = registry();
  if (known.size > 0) {
    // Longest first, so that a secret containing another is masked whole.
    const secrets = [...known.keys()].sort((left, right) => right.length - left.length);
    for (const secret of secrets) {
      if (text.includes(secret)) text = text.split(secret).join(known.get(secret));
    }
  }
  return scrubUrl(text);
}
