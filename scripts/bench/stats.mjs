/**
 * The median of a non-empty list of numbers (mean of the middle two for an even count).
 * @param {readonly number[]} values
 * @returns {number}
 * @example median([3, 1, 2]) // 2
 */
export function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Renders rows as a plain-text table with a header line; numbers are right-aligned.
 * @param {readonly string[]} header
 * @param {readonly (readonly (string | number))[]} rows
 * @returns {string}
 * @example console.log(formatTable(["client", "µs"], [["fetch", 312]]));
 */
export function formatTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  const render = (row, original) =>
    row
      .map((cell, column) =>
        typeof original?.[column] === "number" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd();
  const lines = cells.map((row, index) => render(row, index === 0 ? undefined : rows[index - 1]));
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  return lines.join("\n");
}

/**
 * Rounds to a fixed number of decimals, keeping a number (for JSON and aligned tables).
 * @param {number} value
 * @param {number} [decimals] default 2
 * @example round(1.23456) // 1.23
 */
export function round(value, decimals = 2) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * "PASS" or "FAIL" for a budget check.
 * @param {boolean} within
 * @example verdict(ratio <= 1.15)
 */
export function verdict(within) {
  return within ? "PASS" : "FAIL";
}
