import type { MockServer } from "@flash-call/testing/server";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { spawnCli } from "./spawn-cli.js";
import { useMockServer } from "./use-mock-server.js";

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

const alarm = {
  alarm_id: "ocp-1001",
  alarm_name: "磁盘使用率过高",
  alarm_target: "ob_cluster=C1-1000:tenant_name=tenant-1",
  app_type: "OceanBase",
  alarm_type: "disk_usage",
  alarm_summary: "disk 95%",
  host_ip: "10.0.0.8",
  ob_cluster: "C1",
  alarm_updated_at: "2024-05-01 20:00:00",
  alarm_resolved_at: "2024-05-01 21:30:00",
};

const ocp = (variables: Record<string, string>, args: string[] = []) =>
  runCli(["ocp", ...args], { ...env, ...variables });

describe("flash-call ocp", () => {
  const statuses = [
    ["Chinese", "告警中", "已消除"],
    ["English", "Alerting", "Cleared"],
    ["English (case)", "ACTIVE", "resolved"],
  ] as const;
  const levels = [
    ["停服", "Critical"],
    ["Down", "Critical"],
    ["严重", "Critical"],
    ["critical", "Critical"],
    ["警告", "Warning"],
    ["WARNING", "Warning"],
    ["注意", "Info"],
    ["提醒", "Info"],
    ["Notice", "Info"],
    ["caution", "Info"],
  ] as const;

  for (const [language, alerting, cleared] of statuses) {
    it(`${language}: every level fires, and the recovery closes the same alert`, async () => {
      for (const [level, expected] of levels) {
        const alarmId = `${language}-${level}`;
        const fired = await ocp({ ...alarm, alarm_id: alarmId, alarm_status: alerting, alarm_level: level });
        expect(fired.code, fired.stderr).toBe(0);
        expect(mock.events.at(-1)).toMatchObject({ alert_key: alarmId, event_status: expected });
      }
      const alarmId = `${language}-停服`;
      const resolved = await ocp({ ...alarm, alarm_id: alarmId, alarm_status: cleared, alarm_level: "停服" });
      expect(resolved.code).toBe(0);
      expect(mock.events.at(-1)).toMatchObject({ alert_key: alarmId, event_status: "Ok" });
      expect(mock.alerts.get(alarmId)?.status).toBe("resolved");
    });
  }

  it.each(["Blocked", "EXPIRED", "屏蔽", "已屏蔽", "suppressed"])(
    "%s sends nothing and exits 0",
    async (status) => {
      const run = await ocp({ ...alarm, alarm_status: status, alarm_level: "严重" });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^nothing sent: alarm_status is /);
      expect(mock.requests).toHaveLength(0);
    },
  );

  it("builds title, description, event_time in --tz, and every variable as a label", async () => {
    const run = await ocp({ ...alarm, alarm_status: "告警中", alarm_level: "严重" }, [
      "--tz",
      "Asia/Shanghai",
    ]);
    expect(run.code).toBe(0);
    expect(mock.events[0]).toMatchObject({
      title_rule: "OceanBase::磁盘使用率过高::ob_cluster=C1-1000:tenant_name=tenant-1",
      alert_key: "ocp-1001",
      description: "disk 95%",
      event_time: Date.UTC(2024, 4, 1, 12) / 1000,
      labels: {
        alarm_id: "ocp-1001",
        alarm_name: "磁盘使用率过高",
        alarm_status: "告警中",
        alarm_level: "严重",
        host_ip: "10.0.0.8",
        ob_cluster: "C1",
        app_type: "OceanBase",
      },
    });
    expect(mock.events[0]?.labels).not.toHaveProperty("PATH");
  });

  it("uses alarm_resolved_at on recovery, in UTC by default", async () => {
    await ocp({ ...alarm, alarm_status: "Cleared" });
    expect(mock.events[0]?.event_time).toBe(Date.UTC(2024, 4, 1, 21, 30) / 1000);
  });

  it("keeps quotes, newlines, backslashes and non-ASCII intact", async () => {
    const tricky = `he said "disk's full"\nnext line\\ tab\t 中文 🚨 $(rm -rf /) \`x\``;
    const run = await ocp({
      ...alarm,
      alarm_status: "告警中",
      alarm_level: "警告",
      alarm_description: tricky,
      message: tricky,
    });
    expect(run.code).toBe(0);
    expect(mock.events[0]?.description).toBe(tricky);
    expect(mock.events[0]?.labels?.message).toBe(tricky);
  });

  it("applies --status-map, --level-map and --title", async () => {
    const run = await ocp({ ...alarm, alarm_status: "Firing", alarm_level: "P1" }, [
      "--status-map",
      "Firing=alert",
      "--level-map",
      "P1=critical",
      "--title",
      "[{app_type}] {alarm_name} on {host_ip}",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(mock.events[0]).toMatchObject({
      event_status: "Critical",
      title_rule: "[OceanBase] 磁盘使用率过高 on 10.0.0.8",
    });
  });

  it("sends an unknown level as Warning with a warning", async () => {
    const run = await ocp({ ...alarm, alarm_status: "告警中", alarm_level: "致命" });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: unknown alarm_level "致命"/);
    expect(mock.events[0]?.event_status).toBe("Warning");
  });

  it("sends one value for variables that become the same label, naming them on stderr (never their values)", async () => {
    const run = await ocp({
      ...alarm,
      alarm_status: "告警中",
      alarm_level: "严重",
      "alarm_a-b": "value-one",
      "alarm_a.b": "value-three",
      alarm_a_b: "value-two",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(mock.events[0]?.labels?.alarm_a_b).toBe("value-two");
    expect(run.stderr).toMatch(
      /warning: OCP variables alarm_a-b, alarm_a\.b, alarm_a_b all become the label alarm_a_b .*sending alarm_a_b's value, not alarm_a-b, alarm_a\.b's/,
    );
    expect(run.stderr).not.toMatch(/value-(one|two|three)/);
  });

  it("exits 2 for an unknown status, a missing status, or an unknown zone", async () => {
    const unknown = await ocp({ ...alarm, alarm_status: "Weird" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--status-map "Weird"=alert\|ok\|skip/);
    expect((await ocp(alarm)).code).toBe(2);
    expect((await ocp({ ...alarm, alarm_status: "告警中" }, ["--tz", "Mars/Base"])).code).toBe(2);
    expect(mock.requests).toHaveLength(0);
  });

  it("a variable set in both spellings to different values: the lower-case one is sent, and both are named", async () => {
    const run = await ocp({
      ...alarm,
      alarm_status: "告警中",
      ALARM_STATUS: "已消除",
      alarm_level: "严重",
      ALARM_LEVEL: "严重",
      alarm_id: " ",
      ALARM_ID: "ocp-2002",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(mock.events[0]).toMatchObject({ alert_key: "ocp-2002", event_status: "Critical" });
    expect(mock.events[0]?.labels?.alarm_id).toBe("ocp-2002");
    const warnings = run.stderr.split("\n").filter((line) => line.includes("both set"));
    expect(warnings).toEqual([
      "flash-call: warning: OCP variables alarm_status and ALARM_STATUS are both set, to different values; sending alarm_status's, not ALARM_STATUS's",
    ]);
  });

  it("a conflict is named even when the alarm is not sent", async () => {
    const run = await ocp({ ...alarm, alarm_status: "Blocked", ALARM_STATUS: "Active" });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: OCP variables alarm_status and ALARM_STATUS are both set/);
    expect(mock.requests).toHaveLength(0);
  });

  // OCP writes the environment in its own locale: GBK bytes are not UTF-8, and Node reads each such byte as U+FFFD.
  const gbk = (variables: Record<string, string>, args: string[]) => {
    const exports = Object.entries(variables).map(
      ([name, octal]) => `export ${name}="$(printf '${octal}')";`,
    );
    return spawnCli(["ocp", ...args], { ...env, ...alarm }, "", [
      "sh",
      "-c",
      `${exports.join(" ")} exec "$@"`,
      "sh",
    ]).exited;
  };

  it("a value that is not UTF-8 is sent with a warning naming it, never silently changed", async () => {
    // 磁盘 in GBK.
    const sent = await gbk({ alarm_name: "\\264\\305\\305\\314", alarm_status: "Active" }, []);
    expect(sent.code, sent.stderr).toBe(0);
    expect(mock.events[0]?.labels?.alarm_name).toContain("\uFFFD");
    expect(sent.stderr).toMatch(
      /^flash-call: warning: OCP variable alarm_name is not UTF-8 text: .*U\+FFFD.*UTF-8 locale/m,
    );
    expect(sent.stderr).not.toContain("\uFFFD");
  });

  it("an alarm_status that is not UTF-8 is said to be so, not offered to --status-map", async () => {
    // 告警中 in GBK.
    const run = await gbk({ alarm_status: "\\270\\346\\276\\257\\326\\320" }, []);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^flash-call: UsageError: alarm_status is not UTF-8 text: .*UTF-8 locale/);
    expect(run.stderr).not.toMatch(/--status-map/);
    expect(mock.requests).toHaveLength(0);
  });

  it("--dry-run shows the payload", async () => {
    const run = await ocp({ ...alarm, alarm_status: "告警中", alarm_level: "严重" }, ["--dry-run", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ alert_key: "ocp-1001", event_status: "Critical" });
    expect(mock.requests).toHaveLength(0);
  });
});
