/** Inputs longer than this get no suggestion: nothing that long is a typo of a flag or a status. */
const LONGEST = 64;

/** The edit distance of two short strings (insertions, deletions, substitutions), or Infinity beyond `limit`. */
function distance(from: string, to: string, limit: number): number {
  if (Math.abs(from.length - to.length) > limit) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let row = 1; row <= from.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= to.length; column += 1) {
      const substitution = (previous[column - 1] ?? 0) + (from[row - 1] === to[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[to.length] ?? Number.POSITIVE_INFINITY;
}

/**
 * The candidate a mistyped word most likely meant, for a "did you mean" — of flags, commands and statuses
 * alike: the same word in another case, else the one candidate it starts (3+ characters), else the nearest by
 * edit distance (at most 1 for short words, 2 for longer ones); undefined when none is close. Never returns
 * the input itself, which may be anything (even a key pasted in the wrong place).
 *
 * @example
 * didYouMean("--titel", ["--title", "--status"]); // "--title"
 * didYouMean("critcal", ["Critical", "Warning", "Info", "Ok"]); // "Critical"
 * didYouMean("--bogus", ["--title"]); // undefined
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > LONGEST || input.trim() === "") return undefined;
  const lower = input.toLowerCase();
  const same = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (same !== undefined) return same;
  const started = candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower));
  if (lower.replace(/^-+/, "").length >= 3 && started.length === 1) return started[0];
  const limit = lower.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const each = distance(lower, candidate.toLowerCase(), limit);
    if (each < bestDistance) {
      best = candidate;
      bestDistance = each;
    }
  }
  return best;
}
