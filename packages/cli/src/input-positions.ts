const POSITION = /^(line|index) (\d+)$/;

/**
 * Names a set of batch locations (`line 3`, `index 2`, as the batch reader gives them) compactly and exactly:
 * consecutive numbers as one range, in input order, so a caller can tell precisely which events to send again.
 * A number missing from the set is never covered by a range.
 *
 * @example
 * describePositions(["line 3", "line 4", "line 5", "line 9"]); // "lines 3-5, 9"
 * describePositions(["index 0"]); // "index 0"
 */
export function describePositions(locations: Iterable<string>): string {
  const numbers = new Map<string, number[]>();
  const others: string[] = [];
  for (const location of locations) {
    const match = POSITION.exec(location);
    if (match === null) {
      others.push(location);
      continue;
    }
    const [, word = "", digits = ""] = match;
    let list = numbers.get(word);
    if (list === undefined) {
      list = [];
      numbers.set(word, list);
    }
    list.push(Number(digits));
  }
  const parts: string[] = [];
  for (const [word, list] of numbers) {
    list.sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let start = 0; start < list.length; ) {
      let end = start;
      while (end + 1 < list.length && (list[end + 1] as number) <= (list[end] as number) + 1) end += 1;
      const first = list[start] as number;
      const last = list[end] as number;
      ranges.push(first === last ? String(first) : `${first}-${last}`);
      start = end + 1;
    }
    const plural = list.length === 1 ? word : word === "index" ? "indexes" : `${word}s`;
    parts.push(`${plural} ${ranges.join(", ")}`);
  }
  return [...parts, ...others].join("; ");
}
