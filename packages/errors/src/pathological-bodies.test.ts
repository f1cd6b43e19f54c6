import { describe, expect, test } from "vitest";
import { errorFromResponse } from "./error-from-response.js";
import { registerSecret } from "./secret-registry.js";

// A registered key makes redact scan every position, as it does in a real SDK process.
registerSecret("pathological-bodies-key-0123456789");

const SIZE = 300_000;

/** Bodies that make backtracking or quadratic parsers take seconds; each is hundreds of KB. */
const BODIES: [string, string][] = [
  ["repeated <title", "<title".repeat(SIZE / 6)],
  ["<title> never closed", `<html><title>${"a".repeat(SIZE)}`],
  ["repeated <title> with no close", "<title>".repeat(SIZE / 7)],
  ["repeated <title followed by spaces", `<title${" ".repeat(SIZE)}`],
  ["repeated < characters", "<".repeat(SIZE)],
  ["deep [[[[", "[".repeat(SIZE)],
  ["deep {{{{", '{"a":'.repeat(SIZE / 5)],
  ["balanced deep arrays", `${"[".repeat(SIZE / 2)}${"]".repeat(SIZE / 2)}`],
  ["long whitespace then text", `${" ".repeat(SIZE)}x`],
  ["long whitespace inside a title", `<title>${" \t\n".repeat(SIZE / 3)}</title>`],
  ["NUL characters", "\u0000".repeat(SIZE)],
  ["percent signs", "%".repeat(SIZE)],
  ["almost-escapes", "%2".repeat(SIZE / 2)],
  ["integration_key= without end", `integration_key=${"k".repeat(SIZE)}`],
  ["repeated integration_key=", "integration_key=".repeat(SIZE / 16)],
  ['repeated integration_key"', 'integration_key" '.repeat(SIZE / 17)],
  ["near-misses of the key", "pathological-bodies-key-012345678X".repeat(SIZE / 34)],
  ["a message of dots", JSON.stringify({ error: { code: "InvalidParameter", message: ".".repeat(SIZE) } })],
];

describe("a hostile error body costs linear time", () => {
  test.each(BODIES)("%s", (_name, body) => {
    const started = performance.now();
    const error = errorFromResponse(502, body, {
      "x-request-id": "r".repeat(SIZE),
      "retry-after": "1".repeat(SIZE),
    });
    const elapsed = performance.now() - started;
    expect(error.message.length).toBeLessThan(2000);
    // Generous on a loaded 2-core machine: each takes a few ms to tens of ms; the old title regex took seconds
    // ("<title".repeat(50000) alone took about 16 s).
    expect(elapsed).toBeLessThan(500);
  });
});
