import { redact } from "@flash-call/keys";
import { escapeForTerminal } from "./terminal-text.js";

/** Something text can be written to (`process.stdout`, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** How the command prints: `json` for machine-readable stdout, `quiet` for errors only. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

/**
 * Masks every key before it leaves the process: every registered key and any 8-character piece of one, in any
 * of the forms `registerSecret` knows, plus any `integration_key=` query value (see `redact`). Every line
 * `flash-call` writes goes through this.
 *
 * @example
 * scrub("https://x/?integration_key=abc"); // "https://x/?integration_key=***"
 */
export function scrub(text: string): string {
  return redact(text);
}

/**
 * One line as it may reach a terminal: keys masked, then every control character escaped (see
 * {@link escapeForTerminal}), then masked again, because a key registered in its escaped form (a key with a
 * control character in it) only takes that form after escaping.
 *
 * @example
 * safeLine("Unauthorized: \u001b[2J"); // "Unauthorized: \\x1b[2J"
 */
export function safeLine(text: string): string {
  const masked = scrub(text);
  const escaped = escapeForTerminal(masked);
  // Neither masking nor escaping changed the text (most lines): masking it again would find what the first
  // masking found, nothing.
  return masked === text && escaped === text ? text : scrub(escaped);
}

/** A string about to be JSON-encoded, with keys and pieces of keys masked while they are still raw. */
function redactString(text: string): string {
  return redact(text);
}

/**
 * Every string in a JSON-able value, property names included, masked before JSON escapes them (a key with a
 * quote or a control character is no longer itself once escaped).
 */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (typeof value !== "object" || value === null || depth > 20) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  // Entries, not assignment: a label named "__proto__" stays a property of the copy.
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [redactString(name), redactDeep(item, depth + 1)]),
  );
}

/**
 * Error lines as stderr shows them: the first prefixed `flash-call: `, the rest indented, each one line with keys
 * masked and controls escaped (see safeLine), and a final newline.
 *
 * @example
 * errorText(["NetworkError: …", "hint: …"]); // "flash-call: NetworkError: …\n  hint: …\n"
 */
export function errorText(lines: readonly string[]): string {
  const [first = "error", ...rest] = lines;
  return `${[`flash-call: ${first}`, ...rest.map((line) => `  ${line}`)].map(safeLine).join("\n")}\n`;
}

/**
 * The command's only way to write: results to stdout (human lines, or JSON with `--json`), warnings and
 * errors to stderr prefixed `flash-call:`; every line scrubbed of keys and escaped of terminal controls
 * (see {@link safeLine}). `--quiet` keeps only errors. Writing never throws: a reader that went away (EPIPE),
 * a closed descriptor or a full disk must not turn a delivered event into a failure, so such errors are
 * dropped and that stream is not written again.
 *
 * @example
 * const output = new Output(process.stdout, process.stderr, { json: false, quiet: false });
 * output.result("delivered alert_key=abc");
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly #stdout: TextSink;
  readonly #stderr: TextSink;
  readonly #broken = new Set<TextSink>();

  constructor(stdout: TextSink, stderr: TextSink, options: OutputOptions = {}) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.json = options.json ?? false;
    this.quiet = options.quiet ?? false;
  }

  #write(sink: TextSink, text: string): void {
    if (this.#broken.has(sink)) return;
    try {
      sink.write(text);
    } catch {
      this.#broken.add(sink);
    }
  }

  /** A human result line on stdout (not in `--json` or `--quiet` mode); a newline in it is escaped. */
  result(line: string): void {
    if (!this.json && !this.quiet) this.#write(this.#stdout, `${safeLine(line)}\n`);
  }

  /**
   * A JSON document on stdout, one line (printed in `--json` mode even with `--quiet`). It stays valid JSON:
   * the characters JSON.stringify leaves raw (DEL, C1 controls, bidi overrides) are written as `\uXXXX`.
   */
  data(value: unknown): void {
    if (!this.json) return;
    let text: string;
    try {
      text = JSON.stringify(redactDeep(value)) ?? "null";
    } catch {
      text = JSON.stringify({ ok: false, error: { code: "Unexpected", message: "result not printable" } });
    }
    // Fragments were masked in the strings above; the JSON text is masked again as a whole, and escaped.
    this.#write(this.#stdout, `${safeLine(text)}\n`);
  }

  /**
   * Text on stdout regardless of mode (dry-run payloads, help, version); each of its lines is escaped on its
   * own, so multi-line text keeps its lines. `scrub: false` is only for the mock server's own generated key,
   * which is meant to be shown.
   */
  print(text: string, options: { scrub?: boolean } = {}): void {
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    const lines = body
      .split("\n")
      .map((line) => (options.scrub === false ? escapeForTerminal(line) : safeLine(line)));
    this.#write(this.#stdout, `${lines.join("\n")}\n`);
  }

  /** A warning on stderr (not with `--quiet`), one line. */
  warn(message: string): void {
    if (!this.quiet) this.#write(this.#stderr, `${safeLine(`flash-call: warning: ${message}`)}\n`);
  }

  /** Error lines on stderr, always, as {@link errorText} writes them. */
  error(lines: readonly string[]): void {
    this.#write(this.#stderr, errorText(lines));
  }
}
