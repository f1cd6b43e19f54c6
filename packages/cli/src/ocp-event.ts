import type { AlertEvent } from "@flash-call/core";
import { LIMITS } from "@flash-call/core/constants";
import { labelName } from "./label-name.js";
import {
  isNotUtf8,
  notUtf8Status,
  type OcpEnvironment,
  ocpVariableWarnings,
  readOcpVariable as read,
} from "./ocp-environment.js";
import type { OcpLevelMap, OcpStatusMap } from "./ocp-mapping.js";
import { setOwnProperty } from "./own-property.js";
import { quoteInput } from "./quote-input.js";
import { parseZonedTime } from "./time-zone.js";
import { UsageError } from "./usage-error.js";

/**
 * The alarm variables OCP puts in a channel script's environment (from OCP's template-variable list and
 * Flashduty's OceanBase integration). Each one present becomes a label of the same name.
 *
 * @example
 * OCP_VARIABLES.includes("alarm_id"); // true
 */
export const OCP_VARIABLES = [
  "alarm_id",
  "alarm_name",
  "alarm_level",
  "alarm_target",
  "alarm_status",
  "alarm_type",
  "alarm_summary",
  "alarm_description",
  "alarm_threshold",
  "alarm_active_at",
  "alarm_updated_at",
  "alarm_resolved_at",
  "alarm_url",
  "ob_cluster_group",
  "ob_cluster",
  "ob_cluster_id",
  "ob_tenant",
  "host_ip",
  "app_cluster",
  "app_type",
  "service",
  "message",
  "value",
] as const;

/** The default title: `app_type::alarm_name::alarm_target`, as Flashduty's own OCP script builds it. */
export const DEFAULT_OCP_TITLE = "{app_type}::{alarm_name}::{alarm_target}";

/** Inputs of {@link ocpEvent}. */
export interface OcpEventOptions {
  /** The environment to read (usually `process.env`). */
  env: OcpEnvironment;
  /** Zone of OCP's wall-clock times (`--tz`); default `"UTC"`. */
  timeZone?: string;
  statusMap: OcpStatusMap;
  levelMap: OcpLevelMap;
  /** `--title` template; `{variable}` is replaced by its value. Default {@link DEFAULT_OCP_TITLE}. */
  titleTemplate?: string;
}

/**
 * What to do with the alarm: send `event`, or send nothing (Blocked, Expired, suppressed); either way with the
 * warnings to print.
 */
export type OcpDecision =
  | { kind: "send"; event: AlertEvent; warnings: string[] }
  | { kind: "skip"; reason: string; warnings: string[] };

const MAX_LABELS = LIMITS.labels_max;

/** A `{variable}` of a title template. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fillTemplate(template: string, env: OcpEventOptions["env"]): string {
  const filled = template.replace(PLACEHOLDER, (_, name: string) => read(env, name) ?? "");
  // Missing parts of the default shape leave dangling separators: drop them rather than send "::x::".
  return filled
    .split("::")
    .filter((part) => part.trim() !== "")
    .join("::");
}

/**
 * The label each variable becomes (see labelName), with the variables that become it, in the order first met:
 * variables whose names differ only in characters a label name cannot hold (`alarm_a-b`, `alarm_a.b`,
 * `alarm_a_b`), or only after its length limit, share one label.
 */
function variablesByLabel(
  names: Iterable<string>,
  present: (name: string) => boolean,
): Map<string, string[]> {
  // A Map: a label named like an Object.prototype property is a plain key here.
  const byLabel = new Map<string, string[]>();
  for (const name of names) {
    if (!present(name)) continue;
    const label = labelName(name);
    const variables = byLabel.get(label);
    if (variables === undefined) byLabel.set(label, [name]);
    else variables.push(name);
  }
  return byLabel;
}

/**
 * The variable whose value a shared label carries: the one named exactly as the label (its name needed no
 * change), else the first by name in character-code order — never the order the environment happens to list.
 */
function keptVariable(label: string, variables: readonly string[]): string {
  if (variables.includes(label)) return label;
  return [...variables].sort()[0] as string;
}

/** The one warning line for variables that share a label: it names them, never their values. */
function collisionWarning(label: string, kept: string, variables: readonly string[]): string {
  const dropped = variables.filter((name) => name !== kept);
  return `OCP variables ${variables.join(", ")} all become the label ${label} (a label name holds only letters, digits and _, at most ${LIMITS.label_key} of them); sending ${kept}'s value, not ${dropped.join(", ")}'s`;
}

/**
 * Turns OCP's alarm environment into a Flashduty event: `alert_key` = `alarm_id` (so the recovery closes the
 * same alert), status from `alarm_status` and `alarm_level`, `event_time` from `alarm_updated_at`
 * (`alarm_resolved_at` on recovery) read in `timeZone`, every present OCP variable as a label (variables that
 * become the same label name send one value, chosen by keptVariable, with a warning naming them). Values are
 * carried as they are, so quotes, newlines and non-ASCII survive (JSON is built by `JSON.stringify`, not by hand).
 * A variable set in both spellings to different values, or that is not UTF-8 text, is named in a warning (see
 * ocpVariableWarnings). Throws a {@link UsageError} for a missing or unknown `alarm_status`.
 *
 * @example
 * ocpEvent({ env: { alarm_id: "42", alarm_status: "告警中", alarm_level: "严重" }, statusMap, levelMap });
 * // { kind: "send", event: { alert_key: "42", event_status: "Critical", ... }, warnings: [] }
 */
export function ocpEvent(options: OcpEventOptions): OcpDecision {
  const { env } = options;
  const zone = options.timeZone ?? "UTC";
  const template = options.titleTemplate ?? DEFAULT_OCP_TITLE;
  const names = new Set<string>(OCP_VARIABLES);
  // Variables newer OCP versions add (alarm_*, ob_*) are kept too, up to Flashduty's label limit.
  for (const name of Object.keys(env).sort()) if (/^(?:alarm|ob)_/.test(name)) names.add(name);
  const placeholders = Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] as string);
  // Every variable this alarm may be read from, checked before the status decides anything, so a skipped
  // alarm's conflicting or unreadable variables are named too.
  const warnings = ocpVariableWarnings(env, new Set([...names, ...placeholders]));
  const status = read(env, "alarm_status");
  if (status === undefined) {
    throw new UsageError(
      "alarm_status is not set: `flash-call ocp` reads the alarm from OCP's environment",
      "ocp",
    );
  }
  const action = options.statusMap.get(status.trim().toLowerCase());
  if (action === undefined) {
    throw new UsageError(
      isNotUtf8(status)
        ? notUtf8Status()
        : `unknown alarm_status ${quoteInput(status)}; map it with --status-map ${quoteInput(status.trim())}=alert|ok|skip`,
      "ocp",
    );
  }
  if (action === "skip") return { kind: "skip", reason: `alarm_status is ${status.trim()}`, warnings };

  let eventStatus: AlertEvent["event_status"] = "Ok";
  if (action === "alert") {
    const level = read(env, "alarm_level");
    const mapped = level === undefined ? undefined : options.levelMap.get(level.trim().toLowerCase());
    eventStatus = mapped ?? "Warning";
    if (mapped === undefined) {
      // Sending as Warning beats dropping an alarm because of a level name we do not know.
      warnings.push(
        level === undefined
          ? "alarm_level is not set; sending as Warning"
          : `unknown alarm_level ${quoteInput(level)}; sending as Warning (map it with --level-map)`,
      );
    }
  }

  const title =
    fillTemplate(template, env) || read(env, "alarm_summary") || read(env, "alarm_name") || "OCP alarm";
  const event: AlertEvent = { title_rule: title, event_status: eventStatus };
  const alarmId = read(env, "alarm_id")?.trim();
  if (alarmId) event.alert_key = alarmId;
  else if (eventStatus === "Ok") {
    // Sent without it, the recovery would be refused by validation, in words about a field OCP users never set.
    throw new UsageError(
      `alarm_status ${quoteInput(status.trim())} is a recovery, but alarm_id, which names the alert to close, is not set: OCP sets it for every alarm, so check that the channel passes OCP's variables to flash-call`,
      "ocp",
    );
  } else {
    warnings.push(
      "alarm_id is not set: Flashduty derives the alert's key itself, and OCP's recovery of this alarm cannot name the alert to close",
    );
  }
  const description = read(env, "alarm_description") ?? read(env, "alarm_summary") ?? read(env, "message");
  if (description !== undefined) event.description = description;

  const timeVariables =
    eventStatus === "Ok"
      ? ["alarm_resolved_at", "alarm_updated_at"]
      : ["alarm_updated_at", "alarm_active_at"];
  for (const name of timeVariables) {
    const text = read(env, name);
    if (text === undefined) continue;
    const seconds = parseZonedTime(text, zone);
    if (seconds !== undefined) {
      event.event_time = seconds;
      break;
    }
    warnings.push(`cannot read ${name}=${quoteInput(text)} as a time; Flashduty will use the arrival time`);
  }

  const labels: Record<string, string> = {};
  const byLabel = variablesByLabel(names, (name) => read(env, name) !== undefined);
  for (const [label, variables] of byLabel) {
    if (Object.keys(labels).length >= MAX_LABELS) {
      warnings.push(
        `more than ${MAX_LABELS} OCP variables; ${variables[0]} and later ones are not sent as labels`,
      );
      break;
    }
    const kept = keptVariable(label, variables);
    if (variables.length > 1) warnings.push(collisionWarning(label, kept, variables));
    setOwnProperty(labels, label, read(env, kept) as string);
  }
  event.labels = labels;
  return { kind: "send", event, warnings };
}
