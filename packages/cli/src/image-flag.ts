import type { AlertImage } from "@flash-call/core";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/**
 * Parses one `--image src[,alt[,href]]` flag. Split at the first two commas only, so `href` may contain
 * commas; a `src` with a comma must be percent-encoded (`%2C`), as URLs allow.
 *
 * @example
 * parseImageFlag("https://x/cpu.png,CPU,https://grafana/d/1"); // { src, alt: "CPU", href }
 */
export function parseImageFlag(flag: string): AlertImage {
  const first = flag.indexOf(",");
  const src = first === -1 ? flag : flag.slice(0, first);
  if (src.trim() === "") throw new UsageError(`--image needs src[,alt[,href]], got ${quoteInput(flag)}`);
  const image: AlertImage = { src };
  if (first === -1) return image;
  const rest = flag.slice(first + 1);
  const second = rest.indexOf(",");
  const alt = second === -1 ? rest : rest.slice(0, second);
  if (alt !== "") image.alt = alt;
  if (second !== -1 && rest.slice(second + 1) !== "") image.href = rest.slice(second + 1);
  return image;
}
