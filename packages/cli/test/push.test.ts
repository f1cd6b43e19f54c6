import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { describe, expect, it } from "vitest";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

describe("flash-call push", () => {
  it("delivers every payload flag and prints alert_key and request_id", async () => {
    const run = await runCli(
      [
        "push",
        "--title",
        "disk full on db1",
        "--status",
        "critical",
        "--alert-key",
        "disk-db1",
        "--description",
        'line one\nline "two" 中文',
        "--label",
        "host=db1",
        "--label",
        "query=a=b=c",
        "--image",
        "https://img.example/cpu.png,CPU,https://grafana.example/d/1",
        "--event-time",
        "2024-05-01T12:00:00Z",
      ],
      env,
    );
    expect(run.code).toBe(0);
    const event = mock.events[0];
    expect(run.stdout).toBe(`delivered alert_key=disk-db1 request_id=${event?.request_id}\n`);
    expect(run.stderr).toBe("");
    expect(event).toMatchObject({
      title_rule: "disk full on db1",
      event_status: "Critical",
      alert_key: "disk-db1",
      description: 'line one\nline "two" 中文',
      labels: { host: "db1", query: "a=b=c" },
      images: [{ src: "https://img.example/cpu.png", alt: "CPU", href: "https://grafana.example/d/1" }],
      event_time: 1_714_564_800,
    });
  });

  it("prints JSON with --json and the server's alert_key when none is given", async () => {
    const run = await runCli(
      ["push", "-t", "cpu", "-s", "Warning", "--json", "--event-time", "1714564800"],
      env,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toEqual({
      ok: true,
      alert_key: mock.events[0]?.alert_key,
      request_id: mock.events[0]?.request_id,
    });
    expect(result.alert_key).toMatch(/.+/);
  });

  it("prints nothing with --quiet", async () => {
    const run = await runCli(["push", "-t", "cpu", "-s", "Info", "--quiet"], env);
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(mock.events).toHaveLength(1);
  });

  it("--dry-run prints the exact payload and sends nothing, even without a key", async () => {
    const args = [
      "push",
      "-t",
      "x".repeat(600),
      "-s",
      "Info",
      "-l",
      "a=1",
      "--event-time",
      "1714564800",
      "--dry-run",
    ];
    const run = await runCli(args, baseEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      title_rule: "x".repeat(512),
      event_status: "Info",
      labels: { a: "1" },
      event_time: 1_714_564_800,
    });
    expect(run.stderr).toMatch(/warning: title_rule was 600 characters; truncated to 512/);
    const withKey = await runCli([...args, "--json"], env);
    expect(withKey.code).toBe(0);
    expect(JSON.parse(withKey.stdout).title_rule).toHaveLength(512);
    expect(mock.requests).toHaveLength(0);
  });

  it("exits 2 on usage errors and validation errors, sending nothing", async () => {
    const missing = await runCli(["push", "--title", "t"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^flash-call: UsageError: --status is required/);
    expect(missing.stderr).toMatch(/hint: run: flash-call push --help/);

    const badLabel = await runCli(["push", "-t", "t", "-s", "Info", "-l", "bad-key=1", "-l", "9x=2"], env);
    expect(badLabel.code).toBe(2);
    expect(badLabel.stderr).toMatch(/ValidationError/);
    expect(badLabel.stderr).toMatch(/bad-key/);
    expect(badLabel.stderr).toMatch(/9x/);

    const milliseconds = await runCli(
      ["push", "-t", "t", "-s", "Info", "--event-time", "1714564800000"],
      env,
    );
    expect(milliseconds.code).toBe(2);
    expect(milliseconds.stderr).toMatch(
      /--event-time "1714564800000" is too large for Unix seconds \(milliseconds\?/,
    );

    const status = await runCli(["push", "-t", "t", "-s", "Fatal"], env);
    expect(status.code).toBe(2);

    const flag = await runCli(["push", "--bogus"], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option "--bogus"/);
    expect(mock.requests).toHaveLength(0);
  });

  it("exits 2 when no key is configured, naming where it looked", async () => {
    const run = await runCli(["push", "-t", "t", "-s", "Info"], baseEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ConfigError/);
    expect(run.stderr).toMatch(/FLASHDUTY_INTEGRATION_KEY/);
  });

  it("exits 1 on an API error with code, request_id and hint on stderr", async () => {
    mock.failNext("Unauthorized");
    const run = await runCli(["push", "-t", "t", "-s", "Info"], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const requestId = mock.requests[0]?.request_id;
    expect(run.stderr).toMatch(/^flash-call: Unauthorized \(HTTP 401\): /);
    expect(run.stderr).toContain(`request_id: ${requestId}`);
    expect(run.stderr).toMatch(/hint: /);
  });

  it("exits 1 with JSON on stdout after retries are exhausted", async () => {
    mock.failNext([
      { kind: "html", status: 502 },
      { kind: "html", status: 502 },
    ]);
    const run = await runCli(["push", "-t", "t", "-s", "Info", "--retries", "1", "--json"], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { status: 502, retryable: true } });
    expect(mock.requests).toHaveLength(2);
  });

  it("warns that --key shows in the process list, and never prints it", async () => {
    const run = await runCli(
      ["push", "-t", "t", "-s", "Info", "--key", mock.integrationKey, "--base-url", mock.url],
      baseEnv(),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: --key shows in the process list.*FLASHDUTY_INTEGRATION_KEY/);
  });

  it("takes the key from FLASHDUTY_INTEGRATION_KEY with FLASHDUTY_BASE_URL", async () => {
    const run = await runCli(
      ["push", "-t", "t", "-s", "Info"],
      baseEnv({ FLASHDUTY_INTEGRATION_KEY: mock.integrationKey, FLASHDUTY_BASE_URL: mock.url }),
    );
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });

  it("a base URL copied with blanks around it reaches the host it names, as a push URL does", async () => {
    const keyEnv = { FLASHDUTY_INTEGRATION_KEY: mock.integrationKey };
    for (const padded of [`${mock.url} `, ` ${mock.url}\t`, `${mock.url}/ \n`]) {
      const fromEnv = await runCli(
        ["push", "-t", "t", "-s", "Info", "--retries", "0"],
        baseEnv({ ...keyEnv, FLASHDUTY_BASE_URL: padded }),
      );
      expect(fromEnv, JSON.stringify(padded)).toMatchObject({ code: 0, stderr: "" });
      const fromFlag = await runCli(
        ["push", "-t", "t", "-s", "Info", "--retries", "0", "--base-url", padded],
        baseEnv(keyEnv),
      );
      expect(fromFlag, JSON.stringify(padded)).toMatchObject({ code: 0, stderr: "" });
    }
    expect(mock.events).toHaveLength(6);
  });

  it("refuses a change integration's push URL for alerts, saying which one it needs", async () => {
    const changeUrl = mock.pushUrl.replace("/event/push/alert/", "/event/push/change/");
    const run = await runCli(["push", "-t", "t", "-s", "Info"], baseEnv({ FLASHDUTY_PUSH_URL: changeUrl }));
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toMatch(
      /^flash-call: ConfigError: .*is a change integration's: alert events need the push URL of an alert integration \(/,
    );
    expect(mock.requests).toHaveLength(0);
  });

  it("refuses a push URL holding what would not be sent (credentials, a fragment, a parameter twice), quoting only its origin", async () => {
    const { origin, pathname, search } = new URL(mock.pushUrl);
    const shapes = [
      `${origin.replace("//", "//user:pass@")}${pathname}${search}`,
      `${mock.pushUrl}#team`,
      `${origin}${pathname}?a=1&a=2&${search.slice(1)}`,
      `${mock.pushUrl}&${search.slice(1)}`,
    ];
    for (const pushUrl of shapes) {
      for (const [args, extra] of [
        [["--push-url", pushUrl], {}],
        [[], { FLASHDUTY_PUSH_URL: pushUrl }],
      ] as const) {
        const run = await runCli(["push", "-t", "t", "-s", "Info", ...args], baseEnv(extra));
        expect(run.code).toBe(2);
        const lines = run.stderr.split("\n").filter((line) => !line.includes("warning: --push-url"));
        expect(lines[0]).toMatch(new RegExp(`^flash-call: ConfigError: .*\\(${origin}/…\\) (carries|has) `));
        expect(run.stderr).not.toContain(pathname);
        const json = await runCli(["push", "-t", "t", "-s", "Info", "--json", ...args], baseEnv(extra));
        expect(json.code).toBe(2);
        expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: "ConfigError" } });
      }
    }
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ["a blank --spool", ["--spool", ""], /--spool is empty/],
    ["a blank --push-url", ["--push-url", " "], /--push-url is empty/],
    ["a blank --redis", ["--redis", ""], /--redis is empty/],
    [
      "--key with --push-url",
      ["--key", "flag-key-0123456789", "--push-url", "PUSH_URL"],
      /--key and --push-url both/,
    ],
    [
      "a label given twice, two ways",
      ["--label", "team=db", "--label", "team=web"],
      /--label gives "team" twice/,
    ],
  ])(
    "refuses %s rather than drop it: exit 2, nothing sent, JSON with --json",
    async (_case, flags, message) => {
      const args = [
        "push",
        "-t",
        "t",
        "-s",
        "Info",
        ...flags.map((flag) => (flag === "PUSH_URL" ? mock.pushUrl : flag)),
      ];
      const run = await runCli(args, env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      const json = await runCli([...args, "--json"], env);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: "UsageError" } });
      expect(mock.requests).toHaveLength(0);
    },
  );

  it("masks the key in errors that echo a push URL", async () => {
    const run = await runCli(
      ["push", "-t", "t", "-s", "Info", "--push-url", `${mock.pushUrl}&x=%ZZ`],
      baseEnv(),
    );
    expect([0, 2]).toContain(run.code);
  });
});

describe("flash-call resolve", () => {
  it("closes an alert, defaulting the title to the alert key", async () => {
    await runCli(["push", "-t", "disk full", "-s", "Critical", "-k", "disk-db1"], env);
    const run = await runCli(["resolve", "--alert-key", "disk-db1", "-l", "by=cli"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^delivered alert_key=disk-db1 request_id=/);
    expect(mock.events[1]).toMatchObject({
      event_status: "Ok",
      alert_key: "disk-db1",
      title_rule: "disk-db1",
    });
    expect(mock.alerts.get("disk-db1")?.status).toBe("resolved");
  });

  it("requires --alert-key and rejects --status", async () => {
    expect((await runCli(["resolve"], env)).code).toBe(2);
    expect((await runCli(["resolve", "-k", "x", "--status", "Ok"], env)).code).toBe(2);
  });
});

describe("the key is never printed", () => {
  const special = "scan+key/with=special-chars-0123456789";

  it("raw or URL-encoded, on success, failure, dry-run, spool and --json", async () => {
    const server = await startMockServer({ integrationKeys: [special] });
    neverPrint(special); // runCli checks every run's stdout and stderr for it, raw and encoded.
    try {
      const pushUrl = server.pushUrl;
      expect(pushUrl).toContain(encodeURIComponent(special));
      const viaUrl = baseEnv({ FLASHDUTY_PUSH_URL: pushUrl });
      const viaKey = baseEnv({ FLASHDUTY_INTEGRATION_KEY: special, FLASHDUTY_BASE_URL: server.url });
      expect((await runCli(["push", "-t", "t", "-s", "Info", "--json"], viaUrl)).code).toBe(0);
      expect(
        (
          await runCli(
            ["push", "-t", "t", "-s", "Info", "--key", special, "--base-url", server.url],
            baseEnv(),
          )
        ).code,
      ).toBe(0);
      expect((await runCli(["push", "-t", "t", "-s", "Info", "--push-url", pushUrl], baseEnv())).code).toBe(
        0,
      );
      expect((await runCli(["push", "-t", "t", "-s", "Info", "--dry-run"], viaKey)).code).toBe(0);
      server.failNext(["Unauthorized"]);
      expect((await runCli(["push", "-t", "t", "-s", "Info", "--json"], viaKey)).code).toBe(1);
      const wrongKey = baseEnv({ FLASHDUTY_INTEGRATION_KEY: `${special}x`, FLASHDUTY_BASE_URL: server.url });
      neverPrint(`${special}x`);
      const rejected = await runCli(["push", "-t", "t", "-s", "Info"], wrongKey);
      expect(rejected.code).toBe(1);
      expect(
        (await runCli(["push", "-t", "t", "-s", "Info", "--push-url", `${pushUrl}%`], baseEnv())).code,
      ).not.toBe(0);
      expect(
        (await runCli(["ocp", "--dry-run"], { ...viaUrl, alarm_status: "告警中", message: pushUrl })).code,
      ).toBe(0);
    } finally {
      await server.close();
    }
  });
});
