import { CLIENT_ERROR_CODES, hintFor } from "@flash-call/errors";
import type { PushEndpoint } from "@flash-call/keys";
import { inCliWords } from "./cli-wording.js";
import { UsageError } from "./usage-error.js";

/** An error reduced to what a person (stderr) or a program (`--json`) can act on. Never holds a key. */
export interface ErrorReport {
  code: string;
  message: string;
  request_id?: string;
  status?: number;
  hint?: string;
  retryable: boolean;
  issues?: { path: string; message: string }[];
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  serverMessage?: unknown;
  summary?: unknown;
  requestId?: unknown;
  status?: unknown;
  retryable?: unknown;
  issues?: unknown;
}

/**
 * Joins the lines of a message with spaces. Split and trim, not one regular expression with `\s*` on both
 * sides of the newline, which backtracks quadratically over a long run of spaces.
 */
function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}

/** `String(value)`, or a placeholder when even that throws (a Symbol, a hostile `toString`). */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "unknown error";
  }
}

/** The fields of a thrown value that a report uses, read once; a getter that throws reads as absent. */
function fieldsOf(error: unknown): ErrorLike {
  if (typeof error !== "object" || error === null) return {};
  const fields: ErrorLike = {};
  for (const name of [
    "code",
    "message",
    "serverMessage",
    "summary",
    "requestId",
    "status",
    "retryable",
    "issues",
  ] as const) {
    try {
      fields[name] = (error as ErrorLike)[name];
    } catch {
      // Leave it out: a report must come out of anything thrown.
    }
  }
  return fields;
}

/**
 * Builds an {@link ErrorReport} from anything thrown: Flashduty errors keep their code, status, `request_id`,
 * retryability and validation issues, plus the hint for their code, in the CLI's words (see inCliWords);
 * anything else becomes code `Unexpected`
 * with a one-line message (never a stack). `endpoint`: the integration the command sends to, whose variables a
 * configuration error's hint names (default `alert`).
 *
 * @example
 * reportError(new UsageError("--title is required")); // { code: "UsageError", message: "--title is required", ... }
 */
export function reportError(error: unknown, endpoint: PushEndpoint = "alert"): ErrorReport {
  if (error instanceof UsageError) {
    const hint = `run: flash-call ${error.command ? `${error.command} ` : ""}--help`;
    return { code: "UsageError", message: oneLine(error.message), hint, retryable: false };
  }
  const like = fieldsOf(error);
  const isFlashduty = typeof like.code === "string" && typeof like.retryable === "boolean";
  const code = typeof like.code === "string" && like.code !== "" ? like.code : "Unexpected";
  // Flashduty's own words when it said something, else the SDK's summary: the composed message also holds the
  // hint and the request_id, which have lines of their own here.
  const text = [like.serverMessage, like.summary, like.message].find(
    (candidate): candidate is string => typeof candidate === "string" && candidate !== "",
  );
  const said = oneLine(text ?? describe(error)) || "unknown error";
  // Node's system errors start their message with their code ("EACCES: permission denied, …"): said once.
  const message =
    said.startsWith(`${code}: `) && said.length > code.length + 2 ? said.slice(code.length + 2) : said;
  const report: ErrorReport = { code, message, retryable: isFlashduty && like.retryable === true };
  if (typeof like.requestId === "string" && like.requestId !== "") report.request_id = like.requestId;
  if (typeof like.status === "number") report.status = like.status;
  // A network error with a status is an answer cut short: its hint is the status's (a 2xx may have landed), not
  // one about reaching Flashduty, which it did; a status no hint knows (an answer with none valid) keeps the
  // network error's. A code no hint knows (one new to Flashduty, or a proxy's) takes its status's, as the SDK's
  // message does.
  const statusHint = typeof like.status === "number" ? hintFor(`HTTP_${like.status}`) : undefined;
  const cutShort = code === CLIENT_ERROR_CODES.network && statusHint !== undefined;
  const hint = isFlashduty ? (cutShort ? statusHint : (hintFor(code) ?? statusHint)) : undefined;
  if (hint) report.hint = hint;
  if (Array.isArray(like.issues)) {
    report.issues = like.issues
      .filter(
        (issue): issue is { path: unknown; message: unknown } => typeof issue === "object" && issue !== null,
      )
      .map((issue) => ({ path: describe(issue.path), message: oneLine(describe(issue.message)) }));
  }
  return isFlashduty ? inCliWords(report, endpoint) : report;
}

/**
 * The stderr lines for a report: `CODE: message`, then `request_id`, each validation issue, and the hint.
 * `subject` (like `line 3`) prefixes the first line in batches.
 *
 * @example
 * formatReport({ code: "Unauthorized", message: "bad key", retryable: false, hint: "check the key" });
 * // ["Unauthorized: bad key", "hint: check the key"]
 */
export function formatReport(report: ErrorReport, subject?: string): string[] {
  const status = report.status === undefined ? "" : ` (HTTP ${report.status})`;
  const lines = [`${subject ? `${subject}: ` : ""}${report.code}${status}: ${report.message}`];
  for (const issue of report.issues ?? []) lines.push(`- ${issue.path || "(event)"}: ${issue.message}`);
  if (report.request_id) lines.push(`request_id: ${report.request_id}`);
  if (report.hint) lines.push(`hint: ${report.hint}`);
  return lines;
}
