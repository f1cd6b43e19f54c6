import { redact } from "@flash-call/keys";

/** Something text can be written to (`process.stdout`, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** How the command prints: `json` for machine-readable stdout, `quiet` for errors only. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

// A push URL may reach us from places redact() never saw (a server message, a proxy's error page).
const KEY_IN_URL = /(integration_key=)[^&\s"'<>]+/gi;

/**
 * Masks every key before it leaves the process: registered keys (raw and URL-encoded) via `redact`, plus any
 * `integration_key=` query value. Every line `flash-call` writes goes through this.
 *
 * @example
 * scrub("https://x/?integration_key=abc"); // "https://x/?integration_key=****"
 */
export function scrub(text: string): string {
  return redact(text).replace(KEY_IN_URL, "$1****");
}

/**
 * The command's only way to write: results to stdout (human lines, or JSON with `--json`), warnings and
 * errors to stderr prefixed `flash-call:`; every line scrubbed of keys. `--quiet` keeps only errors.
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

  constructor(stdout: TextSink, stderr: TextSink, options: OutputOptions = {}) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.json = options.json ?? false;
    this.quiet = options.quiet ?? false;
  }

  /** A human result line on stdout (not in `--json` or `--quiet` mode). */
  result(line: string): void {
    if (!this.json && !this.quiet) this.#stdout.write(`${scrub(line)}\n`);
  }

  /** A JSON document on stdout, one line (printed in `--json` mode even with `--quiet`). */
  data(value: unknown): void {
    if (this.json) this.#stdout.write(`${scrub(JSON.stringify(value))}\n`);
  }

  /**
   * Text on stdout regardless of mode (dry-run payloads, help, version). `scrub: false` is only for the
   * mock server's own generated key, which is meant to be shown.
   */
  print(text: string, options: { scrub?: boolean } = {}): void {
    const line = text.endsWith("\n") ? text : `${text}\n`;
    this.#stdout.write(options.scrub === false ? line : scrub(line));
  }

  /** A warning on stderr (not with `--quiet`). */
  warn(message: string): void {
    if (!this.quiet) this.#stderr.write(`${scrub(`flash-call: warning: ${message}`)}\n`);
  }

  /** Error lines on stderr, always; the first is prefixed `flash-call: `, the rest indented. */
  error(lines: readonly string[]): void {
    const [first = "error", ...rest] = lines;
    const text = [`flash-call: ${first}`, ...rest.map((line) => `  ${line}`)].join("\n");
    this.#stderr.write(`${scrub(text)}\n`);
  }
}
