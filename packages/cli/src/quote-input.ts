import { cutText } from "@flash-call/errors";
import { redact } from "@flash-call/keys";

/** How much of a rejected input an error message quotes. */
const QUOTED_LENGTH = 80;

/**
 * Quotes a piece of input for an error message: registered keys masked first, then cut to
 * {@link QUOTED_LENGTH} characters (masking before cutting, so no part of a key that straddles the cut
 * survives), then JSON-quoted, so quotes, newlines and controls show as escapes.
 *
 * @example
 * quoteInput("team"); // "\"team\""
 * quoteInput("x".repeat(500)); // "\"xxx…\" (500 characters)"
 */
export function quoteInput(text: string): string {
  const masked = redact(text);
  if (masked.length <= QUOTED_LENGTH) return JSON.stringify(masked);
  return `${JSON.stringify(cutText(masked, QUOTED_LENGTH))} (${text.length} characters)`;
}
