import type { MockServer, ReceivedEvent } from "@flash-call/testing/server";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

/** The labels as the server received them, read as own properties only (never through the prototype). */
function ownLabels(event: ReceivedEvent | undefined): [string, unknown][] {
  const labels = (event?.labels ?? {}) as object;
  return Object.getOwnPropertyNames(labels).map((name) => [
    name,
    Object.getOwnPropertyDescriptor(labels, name)?.value,
  ]);
}

describe("--event-time that is not a real time", () => {
  it.each([
    ["2023-02-29", /February 2023 has 28 days/],
    ["2023-13-01", /month 13/],
    ["2023-04-31T25:00:00Z", /April 2023 has 30 days/],
    ["2023-04-30T24:00", /hour 24/],
    ["2016-12-31T23:59:60Z", /leap seconds/],
    ["10000-01-01", /not a date in a form/],
    ["9999-12-31T23:59:59Z", /after the latest time/],
    ["1969-12-31T23:59:59Z", /before 1970/],
    ["1700000000000", /milliseconds/],
    ["-1", /non-negative/],
    ["NaN", /non-negative/],
  ])("%s: exit 2, one line naming the flag and the accepted forms, nothing sent", async (time, reason) => {
    const run = await runCli(["push", "-t", "x", "-s", "Info", `--event-time=${time}`], env);
    expect(run.code).toBe(2);
    expect(mock.events).toHaveLength(0);
    const [first, ...rest] = run.stderr.trimEnd().split("\n");
    expect(first).toMatch(new RegExp(`^flash-call: UsageError: --event-time "${time}" `));
    expect(first).toMatch(reason);
    expect(first).toMatch(/use Unix seconds or ISO-8601 like 2024-05-01, 2024-05-01T12:00:00Z/);
    expect(rest).toEqual(["  hint: run: flash-call --help"]);
  });

  it("a batch's event_time strings get the same checks, line by line; the valid events are sent", async () => {
    const lines = [
      { title_rule: "ok", event_status: "Info", event_time: "2024-02-29T12:00:00Z" },
      { title_rule: "bad day", event_status: "Info", event_time: "2023-02-29" },
      { title_rule: "bad hour", event_status: "Info", event_time: "2023-04-30T24:00:00Z" },
      { title_rule: "negative", event_status: "Info", event_time: -5 },
      { title_rule: "fraction", event_status: "Info", event_time: 1.5 },
      { title_rule: "huge", event_status: "Info", event_time: 1e20 },
    ];
    const run = await runCli(["push", "-f", "-"], env, lines.map((line) => JSON.stringify(line)).join("\n"));
    expect(run.code).toBe(2);
    expect(mock.events.map((event) => [event.title_rule, event.event_time])).toEqual([
      ["ok", Date.UTC(2024, 1, 29, 12) / 1000],
    ]);
    expect(run.stderr).toMatch(/line 2: UsageError: event_time "2023-02-29" is not a real date/);
    expect(run.stderr).toMatch(/line 3: UsageError: event_time "2023-04-30T24:00:00Z" .*hour 24/);
    for (const line of [4, 5, 6]) expect(run.stderr).toMatch(new RegExp(`line ${line}: ValidationError`));
    expect(run.stderr).not.toMatch(/Unexpected|TypeError/);
  });

  it("a value starting with a dash is pointed to the --event-time=… form", async () => {
    const run = await runCli(["push", "-t", "x", "-s", "Info", "--event-time", "-1"], env);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toMatch(/argument is ambiguous\. .*use '--event-time=-XYZ'/);
  });

  it("an OCP alarm with an impossible time is still sent, at the arrival time, with a warning", async () => {
    const run = await runCli(["ocp"], {
      ...env,
      alarm_id: "ocp-bad-time",
      alarm_status: "Alerting",
      alarm_level: "Critical",
      alarm_updated_at: "2023-02-29 12:00:00",
      alarm_active_at: "2023-04-31 25:00:00",
    });
    expect(run.code).toBe(0);
    expect(mock.events).toHaveLength(1);
    // Date would have rolled these over to 2023-03-01 and 2023-05-02.
    expect(mock.events[0]?.event_time).toBeUndefined();
    expect(run.stderr).toMatch(/cannot read alarm_updated_at="2023-02-29 12:00:00" as a time/);
    expect(run.stderr).toMatch(/cannot read alarm_active_at="2023-04-31 25:00:00" as a time/);
  });
});

describe("labels named like Object.prototype's properties", () => {
  const SPECIAL = [
    ["__proto__", "p"],
    ["constructor", "c"],
    ["toString", "t"],
  ];

  it("--label __proto__=… is sent as an ordinary label", async () => {
    const run = await runCli(
      [
        "push",
        "-t",
        "x",
        "-s",
        "Info",
        ...SPECIAL.flatMap(([name, value]) => ["--label", `${name}=${value}`]),
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(ownLabels(mock.events[0])).toEqual(SPECIAL);
  });

  it.each([
    ["a JSON object", (labels: string) => `{"title_rule":"x","event_status":"Info","labels":${labels}}`],
    [
      "a JSON array",
      (labels: string) => `[\n  {"title_rule":"x","event_status":"Info","labels":${labels}}\n]`,
    ],
    [
      "NDJSON",
      (labels: string) =>
        `{"title_rule":"first","event_status":"Info"}\n{"title_rule":"x","event_status":"Info","labels":${labels}}`,
    ],
  ])("%s: labels {__proto__, constructor, toString} are sent as labels", async (_name, document) => {
    const run = await runCli(
      ["push", "-f", "-"],
      env,
      document('{"__proto__":"p","constructor":"c","toString":"t"}'),
    );
    expect(run.code).toBe(0);
    const event = mock.events.find((received) => received.title_rule === "x");
    expect(ownLabels(event)).toEqual(SPECIAL);
  });

  it("--label __proto__=… merged into a batch's events, under the events' own labels", async () => {
    const run = await runCli(
      ["push", "-f", "-", "--label", "__proto__=flag", "--label", "constructor=flag"],
      env,
      '{"title_rule":"a","event_status":"Info"}\n{"title_rule":"b","event_status":"Info","labels":{"__proto__":"own"}}',
    );
    expect(run.code).toBe(0);
    const byTitle = new Map(mock.events.map((event) => [event.title_rule, ownLabels(event)]));
    expect(byTitle.get("a")).toEqual([
      ["__proto__", "flag"],
      ["constructor", "flag"],
    ]);
    expect(byTitle.get("b")).toEqual([
      ["__proto__", "own"],
      ["constructor", "flag"],
    ]);
  });

  it("--status constructor is an invalid status, not a lookup into Object.prototype", async () => {
    const run = await runCli(["push", "-t", "x", "-s", "constructor"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/UsageError: --status "constructor" is not one of/);
    expect(mock.events).toHaveLength(0);
  });

  it("ocp: {__proto__} and {constructor} in --title name no variable; mapped values named like them work", async () => {
    const run = await runCli(
      [
        "ocp",
        "--title",
        "{__proto__}{constructor}{toString}{alarm_name}",
        "--status-map",
        "constructor=alert",
      ],
      {
        ...env,
        alarm_id: "ocp-proto",
        alarm_status: "constructor",
        alarm_level: "toString",
        alarm_name: "n",
      },
    );
    expect(run.code).toBe(0);
    expect(mock.events[0]).toMatchObject({
      title_rule: "n",
      event_status: "Warning",
      alert_key: "ocp-proto",
    });
    expect(run.stderr).toMatch(/unknown alarm_level "toString"; sending as Warning/);
  });

  it("ocp: --level-map P1=constructor is a usage error", async () => {
    const run = await runCli(["ocp", "--level-map", "P1=constructor"], {
      ...env,
      alarm_status: "Alerting",
      alarm_level: "P1",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--level-map target must be Critical, Warning or Info, got "constructor"/);
    expect(mock.events).toHaveLength(0);
  });
});

describe("lone surrogates in a batch (the only way one reaches the CLI from outside: a JSON escape)", () => {
  it.each([
    ["title_rule", { title_rule: "\ud800", event_status: "Info" }],
    ["a label value", { title_rule: "x", event_status: "Info", labels: { a: "\udc00" } }],
    ["a label name", { title_rule: "x", event_status: "Info", labels: { "\ud800": "x" } }],
    ["alert_key", { title_rule: "x", event_status: "Info", alert_key: "\ud800" }],
    ["event_status", { title_rule: "x", event_status: "\ud800" }],
    ["event_time", { title_rule: "x", event_status: "Info", event_time: "\ud800" }],
    ["an image src", { title_rule: "x", event_status: "Info", images: [{ src: "\ud800" }] }],
  ])("in %s: sent intact or refused with a typed error, never a crash", async (_name, event) => {
    const run = await runCli(["push", "-f", "-", "--json"], env, JSON.stringify(event));
    expect(run.stderr).not.toMatch(/Unexpected|URIError|TypeError|URI malformed/);
    // Raw lone surrogates would be written as U+FFFD: what the user reads would not be what was sent.
    expect(run.stdout).not.toContain("\ufffd");
    const result = JSON.parse(run.stdout);
    if (run.code === 0) {
      expect(mock.events).toHaveLength(1);
      expect(result).toMatchObject({ delivered: 1 });
    } else {
      expect(run.code).toBe(2);
      expect(mock.events).toHaveLength(0);
      expect(result.results[0].error.code).toMatch(/^(ValidationError|UsageError)$/);
    }
  });
});
