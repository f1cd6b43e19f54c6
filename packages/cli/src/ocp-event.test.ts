import { describe, expect, it } from "vitest";
import { ocpEvent } from "./ocp-event.js";
import { DEFAULT_LEVEL_MAP, DEFAULT_STATUS_MAP } from "./ocp-mapping.js";
import { UsageError } from "./usage-error.js";

const maps = { statusMap: DEFAULT_STATUS_MAP, levelMap: DEFAULT_LEVEL_MAP };
const base = {
  alarm_id: "1001",
  alarm_name: "磁盘使用率过高",
  alarm_target: "ob_cluster=C1-1000:tenant_name=tenant-1",
  app_type: "OceanBase",
  alarm_updated_at: "2024-05-01 20:00:00",
  alarm_resolved_at: "2024-05-01 21:00:00",
};

function send(env: Record<string, string>, timeZone = "UTC") {
  const decision = ocpEvent({ env, timeZone, ...maps });
  if (decision.kind !== "send") throw new Error("expected an event");
  return decision;
}

describe("ocpEvent", () => {
  it.each([
    ["告警中", "停服", "Critical"],
    ["Alerting", "Down", "Critical"],
    ["ACTIVE", "stopped", "Critical"],
    ["告警中", "严重", "Critical"],
    ["alerting", "CRITICAL", "Critical"],
    ["告警中", "警告", "Warning"],
    ["Active", "Warning", "Warning"],
    ["active", "alert", "Warning"],
    ["告警中", "注意", "Info"],
    ["告警中", "提醒", "Info"],
    ["Alerting", "Caution", "Info"],
    ["Alerting", "reminder", "Info"],
    ["Alerting", "Info", "Info"],
    ["Alerting", "NOTICE", "Info"],
    ["已消除", "严重", "Ok"],
    ["Cleared", "Warning", "Ok"],
    ["resolved", "Info", "Ok"],
  ])("status %s + level %s → %s", (status, level, expected) => {
    const { event, warnings } = send({ ...base, alarm_status: status, alarm_level: level });
    expect(event.event_status).toBe(expected);
    expect(event.alert_key).toBe("1001");
    expect(warnings).toEqual([]);
  });

  it.each(["Blocked", "expired", "屏蔽", "已屏蔽", "Suppressed"])("%s sends nothing", (status) => {
    expect(ocpEvent({ env: { ...base, alarm_status: status }, ...maps })).toMatchObject({ kind: "skip" });
  });

  it("builds the title app_type::alarm_name::alarm_target, dropping missing parts", () => {
    expect(send({ ...base, alarm_status: "告警中", alarm_level: "严重" }).event.title_rule).toBe(
      "OceanBase::磁盘使用率过高::ob_cluster=C1-1000:tenant_name=tenant-1",
    );
    expect(send({ alarm_name: "x", alarm_status: "告警中", alarm_level: "严重" }).event.title_rule).toBe("x");
  });

  it("fills a --title template", () => {
    const decision = ocpEvent({
      env: { ...base, alarm_status: "告警中", alarm_level: "严重" },
      titleTemplate: "[{app_type}] {alarm_name} {missing}",
      ...maps,
    });
    expect(decision.kind === "send" && decision.event.title_rule).toBe("[OceanBase] 磁盘使用率过高 ");
  });

  it("reads event_time in the zone: updated_at when alerting, resolved_at on recovery", () => {
    expect(
      send({ ...base, alarm_status: "告警中", alarm_level: "严重" }, "Asia/Shanghai").event.event_time,
    ).toBe(Date.UTC(2024, 4, 1, 12) / 1000);
    expect(send({ ...base, alarm_status: "已消除" }, "UTC").event.event_time).toBe(
      Date.UTC(2024, 4, 1, 21) / 1000,
    );
  });

  it("keeps every present variable as a label, values intact", () => {
    const tricky = 'quote " backslash \\ newline\n tab\t 中文 emoji 🚨';
    const { event } = send({
      ...base,
      alarm_status: "告警中",
      alarm_level: "严重",
      alarm_description: tricky,
      ob_new_field: "x",
      PATH: "/usr/bin",
      alarm_summary: "",
    });
    expect(event.description).toBe(tricky);
    expect(event.labels).toMatchObject({ alarm_description: tricky, ob_new_field: "x", alarm_id: "1001" });
    expect(event.labels).not.toHaveProperty("PATH");
    expect(event.labels).not.toHaveProperty("alarm_summary");
    expect(JSON.parse(JSON.stringify(event)).labels.alarm_description).toBe(tricky);
  });

  it("sends an unknown level as Warning with a warning", () => {
    const { event, warnings } = send({ ...base, alarm_status: "告警中", alarm_level: "P0" });
    expect(event.event_status).toBe("Warning");
    expect(warnings[0]).toMatch(/--level-map/);
  });

  it("warns about a time it cannot read and leaves event_time out", () => {
    const { event, warnings } = send({
      ...base,
      alarm_status: "告警中",
      alarm_level: "严重",
      alarm_updated_at: "soon",
    });
    expect(event.event_time).toBeUndefined();
    expect(warnings[0]).toMatch(/alarm_updated_at/);
  });

  it("rejects a missing or unknown alarm_status", () => {
    expect(() => ocpEvent({ env: base, ...maps })).toThrow(UsageError);
    expect(() => ocpEvent({ env: { ...base, alarm_status: "Weird" }, ...maps })).toThrow(/--status-map/);
  });

  it("a recovery without alarm_id is refused, saying which variable is missing; an alarm without it is sent, with a warning", () => {
    const { alarm_id: _, ...withoutId } = base;
    for (const env of [withoutId, { ...base, alarm_id: "  " }]) {
      expect(() => ocpEvent({ env: { ...env, alarm_status: "已消除" }, ...maps })).toThrow(
        `alarm_status "已消除" is a recovery, but alarm_id, which names the alert to close, is not set: OCP sets it for every alarm, so check that the channel passes OCP's variables to flash-call`,
      );
      const { event, warnings } = send({ ...env, alarm_status: "Alerting", alarm_level: "Critical" });
      expect(event.alert_key).toBeUndefined();
      expect(warnings).toEqual([
        "alarm_id is not set: Flashduty derives the alert's key itself, and OCP's recovery of this alarm cannot name the alert to close",
      ]);
    }
  });

  it("reads only own variables: {__proto__} or {constructor} in a template names nothing", () => {
    const { event } = send({ ...base, alarm_status: "Alerting" }, "UTC");
    const templated = ocpEvent({
      env: { ...base, alarm_status: "Alerting" },
      ...maps,
      titleTemplate: "{__proto__}{constructor}{toString}{hasOwnProperty}::{alarm_name}",
    });
    expect(templated).toMatchObject({ kind: "send", event: { title_rule: base.alarm_name } });
    expect(event.title_rule).toMatch(/OceanBase/);
  });

  it("gives variables named like Object.prototype's properties no special meaning", () => {
    const env = Object.create(null) as Record<string, string>;
    Object.assign(env, base, { alarm_status: "Alerting", alarm_level: "constructor" });
    Object.defineProperty(env, "alarm___proto__", { value: "p", enumerable: true });
    const { event, warnings } = send(env);
    expect(event.event_status).toBe("Warning");
    expect(warnings).toEqual([
      'unknown alarm_level "constructor"; sending as Warning (map it with --level-map)',
    ]);
    expect(Object.getOwnPropertyDescriptor(event.labels, "alarm___proto__")?.value).toBe("p");
  });

  it("sends one value for variables that become the same label, by a fixed rule, and says so", () => {
    const exact = send({
      ...base,
      alarm_status: "Alerting",
      alarm_level: "Critical",
      "alarm_a-b": "one",
      "alarm_a.b": "three",
      alarm_a_b: "two",
    });
    expect(exact.event.labels).toMatchObject({ alarm_a_b: "two" });
    expect(exact.event.labels).not.toHaveProperty("alarm_a-b");
    expect(exact.warnings).toEqual([
      "OCP variables alarm_a-b, alarm_a.b, alarm_a_b all become the label alarm_a_b (a label name holds only letters, digits and _, at most 128 of them); sending alarm_a_b's value, not alarm_a-b, alarm_a.b's",
    ]);
    // Without a variable named as the label, the first name in character-code order wins, whatever the
    // environment's own order.
    const reversed = Object.fromEntries(
      Object.entries({
        ...base,
        alarm_status: "Alerting",
        alarm_level: "Critical",
        "alarm_x.y": "dot",
        "alarm_x-y": "dash",
      }).reverse(),
    );
    const renamed = send(reversed);
    expect(renamed.event.labels).toMatchObject({ alarm_x_y: "dash" });
    expect(renamed.warnings).toEqual([
      expect.stringMatching(
        /^OCP variables .* become the label alarm_x_y .*sending alarm_x-y's value, not alarm_x\.y's$/,
      ),
    ]);
  });

  it("treats names equal up to the label length limit as one label too", () => {
    const long = `alarm_${"x".repeat(140)}`;
    const { event, warnings } = send({
      ...base,
      alarm_status: "Alerting",
      alarm_level: "Critical",
      [`${long}1`]: "a",
      [`${long}2`]: "b",
    });
    expect(event.labels?.[long.slice(0, 128)]).toBe("a");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`sending ${long}1's value, not ${long}2's`);
  });

  it("never takes an impossible alarm time: it is left out with a warning, the alarm still sent", () => {
    const { event, warnings } = send({
      ...base,
      alarm_status: "Alerting",
      alarm_level: "Critical",
      alarm_updated_at: "2023-02-29 10:00:00",
    });
    expect(event.event_time).toBeUndefined();
    expect(warnings).toEqual([
      'cannot read alarm_updated_at="2023-02-29 10:00:00" as a time; Flashduty will use the arrival time',
    ]);
  });
});
