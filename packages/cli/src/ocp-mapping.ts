import type { EventStatus } from "@flash-call/core";
import { ownProperty } from "./own-property.js";
import { quoteInput } from "./quote-input.js";
import { takeOnce } from "./repeated-key.js";
import { UsageError } from "./usage-error.js";

/** What an OCP `alarm_status` means: send with the level, send `Ok`, or send nothing. */
export type OcpStatusAction = "alert" | "ok" | "skip";

/** The OCP `alarm_level` → Flashduty status mapping (level values are matched case-insensitively). */
export type OcpLevelMap = ReadonlyMap<string, Exclude<EventStatus, "Ok">>;

/** The OCP `alarm_status` → action mapping (status values are matched case-insensitively). */
export type OcpStatusMap = ReadonlyMap<string, OcpStatusAction>;

function table<T>(entries: Record<string, T>): Map<string, T> {
  return new Map(Object.entries(entries).map(([key, value]) => [key.toLowerCase(), value]));
}

/**
 * Default `alarm_status` mapping, Chinese and English, from Flashduty's OceanBase integration:
 * 告警中/Alerting/Active → alert; 已消除/Cleared/Resolved → ok; Blocked/Expired/屏蔽 (suppressed) → skip.
 *
 * @example
 * DEFAULT_STATUS_MAP.get("cleared"); // "ok"
 */
export const DEFAULT_STATUS_MAP: OcpStatusMap = table<OcpStatusAction>({
  告警中: "alert",
  alerting: "alert",
  active: "alert",
  firing: "alert",
  已消除: "ok",
  已恢复: "ok",
  cleared: "ok",
  resolved: "ok",
  blocked: "skip",
  已屏蔽: "skip",
  屏蔽: "skip",
  屏蔽中: "skip",
  suppressed: "skip",
  expired: "skip",
  已过期: "skip",
  过期: "skip",
});

/**
 * Default `alarm_level` mapping: 停服/Down/Stopped and 严重/Critical → Critical; 警告/Warning/Alert → Warning;
 * 注意/提醒/Caution/Reminder/Info/Notice → Info.
 *
 * @example
 * DEFAULT_LEVEL_MAP.get("停服"); // "Critical"
 */
export const DEFAULT_LEVEL_MAP: OcpLevelMap = table<Exclude<EventStatus, "Ok">>({
  停服: "Critical",
  down: "Critical",
  stopped: "Critical",
  严重: "Critical",
  critical: "Critical",
  警告: "Warning",
  warning: "Warning",
  alert: "Warning",
  注意: "Info",
  提醒: "Info",
  caution: "Info",
  reminder: "Info",
  info: "Info",
  notice: "Info",
});

/** The `value=target` pairs of repeated, comma-separated map flags; a value mapped twice, two ways, is refused. */
function parsePairs(flags: readonly string[] | undefined, option: string): [string, string][] {
  const pairs: [string, string][] = [];
  const seen = new Map<string, string>();
  for (const flag of flags ?? []) {
    for (const item of flag.split(",")) {
      if (item.trim() === "") continue;
      const split = item.lastIndexOf("=");
      if (split <= 0)
        throw new UsageError(`${option} needs value=target pairs, got ${quoteInput(item)}`, "ocp");
      const pair: [string, string] = [
        item.slice(0, split).trim().toLowerCase(),
        item.slice(split + 1).trim(),
      ];
      // Values match case-insensitively, so do targets: `Firing=alert,FIRING=Alert` says one thing.
      takeOnce(seen, pair[0], pair[1].toLowerCase(), option, "ocp");
      pairs.push(pair);
    }
  }
  return pairs;
}

/**
 * Merges `--status-map` flags (`value=alert|ok|skip`, comma-separated or repeated) over {@link DEFAULT_STATUS_MAP}.
 *
 * @example
 * statusMapFrom(["Firing=alert,Muted=skip"]).get("muted"); // "skip"
 */
export function statusMapFrom(flags: readonly string[] | undefined): OcpStatusMap {
  const map = new Map(DEFAULT_STATUS_MAP);
  for (const [key, target] of parsePairs(flags, "--status-map")) {
    const action = target.toLowerCase();
    if (action !== "alert" && action !== "ok" && action !== "skip") {
      throw new UsageError(`--status-map target must be alert, ok or skip, got ${quoteInput(target)}`, "ocp");
    }
    map.set(key, action);
  }
  return map;
}

/**
 * Merges `--level-map` flags (`value=Critical|Warning|Info`, comma-separated or repeated) over
 * {@link DEFAULT_LEVEL_MAP}. Targets are case-insensitive and normalised to the wire spelling.
 *
 * @example
 * levelMapFrom(["P1=critical"]).get("p1"); // "Critical"
 */
export function levelMapFrom(flags: readonly string[] | undefined): OcpLevelMap {
  const map = new Map(DEFAULT_LEVEL_MAP);
  const spellings: Record<string, Exclude<EventStatus, "Ok">> = {
    critical: "Critical",
    warning: "Warning",
    info: "Info",
  };
  for (const [key, target] of parsePairs(flags, "--level-map")) {
    const status = ownProperty(spellings, target.toLowerCase());
    if (!status) {
      throw new UsageError(
        `--level-map target must be Critical, Warning or Info, got ${quoteInput(target)}`,
        "ocp",
      );
    }
    map.set(key, status);
  }
  return map;
}
