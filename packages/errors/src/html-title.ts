/** A page's `<title>` sits in its head: looking further only costs time on a hostile body. */
export const TITLE_SEARCH_LENGTH = 4096;

const OPEN_TAG = "<title";

/** Whether `html` has a `<title` tag (any letter case, followed by `>`, a space or `/`) at `at`. */
function isTitleTag(html: string, at: number): boolean {
  if (html.slice(at, at + OPEN_TAG.length).toLowerCase() !== OPEN_TAG) return false;
  const next = html.charAt(at + OPEN_TAG.length);
  return next === ">" || next === "/" || next.trim() === "";
}

/**
 * The text of an HTML page's first `<title>` element, found by plain scanning within the first
 * {@link TITLE_SEARCH_LENGTH} characters: linear in that prefix whatever the page holds (a regular expression
 * such as `<title[^>]*>([^<]*)<` backtracks quadratically on a body like `"<title".repeat(50000)`).
 *
 * @returns the title with its whitespace collapsed, or `undefined` when there is none or it is not closed
 * @example
 * ```ts
 * htmlTitle("<html><head><title> 502 Bad Gateway </title>"); // "502 Bad Gateway"
 * ```
 */
export function htmlTitle(html: string): string | undefined {
  const head = html.slice(0, TITLE_SEARCH_LENGTH);
  let at = head.indexOf("<");
  while (at !== -1 && !isTitleTag(head, at)) at = head.indexOf("<", at + 1);
  if (at === -1) return undefined;
  const textStart = head.indexOf(">", at + OPEN_TAG.length) + 1;
  if (textStart === 0) return undefined;
  const textEnd = head.indexOf("<", textStart);
  if (textEnd === -1) return undefined;
  const title = head.slice(textStart, textEnd).split(/\s+/).filter(Boolean).join(" ");
  return title === "" ? undefined : title;
}
