/**
 * How Flashduty shows an alert's title, made from the event's `title_rule` by the rules Flashduty documents
 * (listed with their sources in the package README):
 *
 * - `"plain"`: a rule with neither `[TPL]` nor `::` is shown as it is.
 * - `"simplified"`: a rule with `::` is cut at each `::`; a part starting with `$` is replaced by the label it
 *   names (left as it is when there is no such label); the parts are joined with `" / "`.
 * - `"template"`: a rule starting with `[TPL]`: `${name}` reads a label (`<no value>` when missing);
 *   `{{.Labels.name}}`, `{{.Description}}`, `{{.EventSeverity}}`, `{{.EventStatus}}`, `{{.AlertKey}}` and
 *   `{{.TitleRule}}` read the event (empty when missing).
 * - `"unrendered"`: anything else: `text` is the rule itself, unchanged, and `reason` says what the mock does not
 *   know how Flashduty renders. The mock never guesses.
 */
export interface RenderedTitle {
  /** The title as Flashduty shows it, or the raw `title_rule` when `form` is `"unrendered"`. */
  text: string;
  /** Which documented rule made `text`. */
  form: "plain" | "simplified" | "template" | "unrendered";
  /** Only when `form` is `"unrendered"`: the first construct the mock cannot render, and why. */
  reason?: string;
}

/** What a title rule can read: the event as the mock stored it, with its (sent or generated) `alert_key`. */
export interface TitleSource {
  title_rule: string;
  event_status: string;
  alert_key: string;
  description?: string | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
}

const TEMPLATE_PREFIX = "[TPL]";
const PART_SEPARATOR = "::";
const PART_JOINER = " / ";
const MISSING_LABEL = "<no value>";
const SEVERITIES = new Set(["Critical", "Warning", "Info"]);
/** The longest piece of the rule quoted in a `reason` (the rule is user input; the reason stays short). */
const QUOTE_LIMIT = 40;

/**
 * Renders `source.title_rule` the way Flashduty documents it, in time linear in the rule's length (a hand-written
 * scanner, no regular expression that could backtrack on hostile input).
 *
 * @example
 * ```ts
 * renderTitle({ title_rule: "[TPL]${resource} / ${check}", event_status: "Warning", alert_key: "k",
 *   labels: { resource: "127.0.0.1" } });
 * // → { text: "127.0.0.1 / <no value>", form: "template" }
 * ```
 */
export function renderTitle(source: TitleSource): RenderedTitle {
  const rule = source.title_rule;
  if (rule.startsWith(TEMPLATE_PREFIX)) return renderTemplate(rule.slice(TEMPLATE_PREFIX.length), source);
  if (rule.includes(PART_SEPARATOR)) return renderParts(rule, source.labels);
  // Without `::`, whether a lone `$name` is read as a label is not documented; only that case is ambiguous.
  if (rule.startsWith("$") && labelOf(source.labels, rule.slice(1)) !== undefined) {
    return unrendered(
      rule,
      `a lone "${quote(rule)}" without "::" (Flashduty documents $name only between ::)`,
    );
  }
  return { text: rule, form: "plain" };
}

function renderParts(rule: string, labels: TitleSource["labels"]): RenderedTitle {
  const parts = rule.split(PART_SEPARATOR);
  const shown: string[] = [];
  for (const part of parts) {
    if (part.trim() !== part) {
      return unrendered(rule, `spaces around "::" (Flashduty does not document whether parts are trimmed)`);
    }
    shown.push(part.startsWith("$") ? (labelOf(labels, part.slice(1)) ?? part) : part);
  }
  return { text: shown.join(PART_JOINER), form: "simplified" };
}

function renderTemplate(body: string, source: TitleSource): RenderedTitle {
  const rule = source.title_rule;
  const out: string[] = [];
  let textStart = 0;
  let at = 0;
  while (at < body.length) {
    const char = body[at];
    if (char === "$" && body[at + 1] === "{") {
      const close = body.indexOf("}", at + 2);
      if (close < 0) return unrendered(rule, `an unclosed "\${" at "${quote(body.slice(at))}"`);
      const name = body.slice(at + 2, close);
      if (!isLabelName(name)) return unrendered(rule, `"\${${quote(name)}}" does not name a label`);
      out.push(body.slice(textStart, at), labelOf(source.labels, name) ?? MISSING_LABEL);
      at = close + 1;
      textStart = at;
      continue;
    }
    if (char === "$" && isNameChar(body.charCodeAt(at + 1))) {
      return unrendered(rule, `"$" followed by a name without braces at "${quote(body.slice(at))}"`);
    }
    if (char === "{" && body[at + 1] === "{") {
      const close = body.indexOf("}}", at + 2);
      if (close < 0) return unrendered(rule, `an unclosed "{{" at "${quote(body.slice(at))}"`);
      const action = body.slice(at + 2, close);
      const value = templateValue(trimSpaces(action), source);
      if (typeof value !== "string") return unrendered(rule, value.reason);
      out.push(body.slice(textStart, at), value);
      at = close + 2;
      textStart = at;
      continue;
    }
    at++;
  }
  out.push(body.slice(textStart));
  return { text: out.join(""), form: "template" };
}

/** The value of one `{{…}}` action, or why the mock does not render it. */
function templateValue(action: string, source: TitleSource): string | { reason: string } {
  const unknown = { reason: `"{{${quote(action)}}}" is not a template form the mock renders` };
  if (action.startsWith(".Labels.")) {
    const name = action.slice(".Labels.".length);
    return isLabelName(name) ? (labelOf(source.labels, name) ?? "") : unknown;
  }
  switch (action) {
    case ".Description":
      return source.description ?? "";
    case ".EventStatus":
      return source.event_status;
    case ".AlertKey":
      return source.alert_key;
    case ".TitleRule":
      return source.title_rule;
    case ".EventSeverity":
      // An Ok event has a status, not a severity; what Flashduty puts here for it is not documented.
      return SEVERITIES.has(source.event_status)
        ? source.event_status
        : { reason: `"{{.EventSeverity}}" on an ${source.event_status} event (not documented)` };
    case ".Title":
      return { reason: `"{{.Title}}" inside title_rule refers to the title being made (not documented)` };
    default:
      return unknown;
  }
}

function unrendered(rule: string, reason: string): RenderedTitle {
  return { text: rule, form: "unrendered", reason };
}

function labelOf(labels: TitleSource["labels"], name: string): string | undefined {
  if (labels === undefined || !Object.hasOwn(labels, name)) return undefined;
  const value = labels[name];
  return typeof value === "string" ? value : undefined;
}

/** Flashduty's label names: `[a-zA-Z_][a-zA-Z0-9_]*`, checked character by character. */
function isLabelName(name: string): boolean {
  if (name.length === 0 || isDigit(name.charCodeAt(0))) return false;
  for (let index = 0; index < name.length; index++) {
    if (!isNameChar(name.charCodeAt(index))) return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNameChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Go's template actions allow spaces inside the braces (`{{ .Title }}`); a `-` trim marker is left as is. */
function trimSpaces(action: string): string {
  let start = 0;
  let end = action.length;
  while (start < end && isSpace(action.charCodeAt(start))) start++;
  while (end > start && isSpace(action.charCodeAt(end - 1))) end--;
  return action.slice(start, end);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}
