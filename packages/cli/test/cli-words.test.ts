import { mkdtemp, readdir } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./run-in-process.js";

/** The placeholder of the OCP channel script in the README, pasted before the real key is in. */
const PLACEHOLDER = "paste your integration key here";
const KEY = "cli-words-key-0123456789abcdef";

/** A port that refuses connections: one that was just free, closed again. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 9;
}

describe("the CLI speaks flags and environment variables, not SDK options", () => {
  it("no key: names --key, --push-url and the variables, not integrationKey or setKey", async () => {
    const { code, stderr } = await runInProcess(["push", "-t", "t", "-s", "Info"], {});
    expect(code).toBe(2);
    expect(stderr).toContain(
      "No Flashduty integration key found: pass --key or --push-url (not given), or set FLASHDUTY_INTEGRATION_KEY (not set) or FLASHDUTY_PUSH_URL (not set).",
    );
    expect(stderr).not.toMatch(/integrationKey|setKey/);
  });

  it("a malformed key from the environment is named as the variable, a flag's as the flag", async () => {
    const fromEnv = await runInProcess(["push", "-t", "t", "-s", "Info"], {
      FLASHDUTY_INTEGRATION_KEY: PLACEHOLDER,
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(
      /ConfigError: The environment variable FLASHDUTY_INTEGRATION_KEY contains whitespace/,
    );
    expect(fromEnv.stderr).not.toMatch(/integrationKey/);
    const fromFlag = await runInProcess(["push", "-t", "t", "-s", "Info", "--key", ""], {});
    expect(fromFlag.stderr).toMatch(/ConfigError: --key is empty/);
    const baseUrl = await runInProcess(
      ["push", "-t", "t", "-s", "Info", "--key", KEY, "--base-url", "https://x/?a=1"],
      {},
    );
    expect(baseUrl.stderr).toMatch(/ConfigError: --base-url must not carry a query.*--push-url/);
    expect(baseUrl.stderr).not.toMatch(/pushUrl|integrationKey/);
  });

  it("an SDK option refused by the SDK is named as its flag", async () => {
    const { code, stderr } = await runInProcess(["push", "-t", "t", "-s", "Info", "--timeout", "0"], {
      FLASHDUTY_INTEGRATION_KEY: KEY,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/ConfigError: --timeout must be/);
    expect(stderr).not.toMatch(/timeoutMs/);
  });

  it("a mistyped flag, status or command gets a did-you-mean, and no text of Node's with a stray quote", async () => {
    const flag = await runInProcess(["push", "--titel", "x", "-s", "Info"], {});
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('UsageError: unknown option "--titel"; did you mean --title?');
    expect(flag.stderr).not.toMatch(/positional argument|'-- "/);
    const missing = await runInProcess(["push", "-s", "Info", "--title"], {});
    expect(missing.stderr).toContain("UsageError: --title needs a value");
    const status = await runInProcess(["push", "-t", "x", "-s", "Critcal"], {
      FLASHDUTY_INTEGRATION_KEY: KEY,
    });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(
      'UsageError: --status "Critcal" is not one of Critical, Warning, Info, Ok; did you mean Critical?',
    );
    const command = await runInProcess(["pusj"], {});
    expect(command.stderr).toContain('unknown command "pusj"; did you mean push?');
  });

  it("a batch event_time in milliseconds: divide by 1000, as a shell user does it", async () => {
    const { code, stderr } = await runInProcess(
      ["push", "--file", "-", "--base-url", "http://127.0.0.1:9"],
      { FLASHDUTY_INTEGRATION_KEY: KEY },
      '{"title_rule":"t","event_status":"Info","event_time":1714564800000}',
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      "looks like milliseconds; Flashduty takes seconds: divide by 1000 (date +%s gives seconds)",
    );
    expect(stderr).not.toMatch(/Math\.floor/);
  });

  it("the spool message prints the actual folder to flush, quoted for the shell", async () => {
    // Not "flash-call-words-": with a random suffix starting with "k", "-words-k" is an 8-character piece of KEY,
    // which the CLI rightly masks in the path it prints.
    const directory = join(await mkdtemp(join(tmpdir(), "flash-call-spool-")), "my spool");
    const port = await refusingPort();
    const { code, stderr } = await runInProcess(
      ["push", "-t", "t", "-s", "Info", "--retries", "0", "--spool", directory],
      { FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: `http://127.0.0.1:${port}` },
    );
    expect(code).toBe(3);
    expect(stderr).toContain(`run: flash-call flush --spool '${directory}'`);
    expect(stderr).not.toContain("<dir>");
    expect((await readdir(directory)).filter((name) => name.endsWith(".json"))).toHaveLength(1);
  });
});

describe("--dry-run needs no valid key", () => {
  it("with the README's placeholder key, the OCP script's dry run prints the event and exits 0", async () => {
    const { code, stdout, stderr } = await runInProcess(["ocp", "--dry-run", "--tz", "Asia/Shanghai"], {
      FLASHDUTY_INTEGRATION_KEY: PLACEHOLDER,
      alarm_id: "1001",
      alarm_name: "disk full",
      alarm_level: "Critical",
      alarm_status: "Alerting",
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ alert_key: "1001", event_status: "Critical" });
    expect(stderr).toMatch(
      /warning: dry run only: The environment variable FLASHDUTY_INTEGRATION_KEY contains whitespace/,
    );
  });

  it("push, a batch and flush dry runs too; with no key at all as well", async () => {
    const env = { FLASHDUTY_INTEGRATION_KEY: PLACEHOLDER };
    expect((await runInProcess(["push", "-t", "t", "-s", "Info", "--dry-run"], env)).code).toBe(0);
    expect((await runInProcess(["push", "-t", "t", "-s", "Info", "--dry-run"], {})).code).toBe(0);
    const batch = await runInProcess(
      ["push", "--file", "-", "--dry-run"],
      env,
      '{"title_rule":"t","event_status":"Ok","alert_key":"a"}',
    );
    expect(batch.code).toBe(0);
    expect(JSON.parse(batch.stdout)).toMatchObject({ alert_key: "a" });
    const directory = await mkdtemp(join(tmpdir(), "flash-call-spool-"));
    expect((await runInProcess(["flush", "--spool", directory, "--dry-run"], env)).code).toBe(0);
  });

  it("a dry run still refuses a bad flag", async () => {
    expect(
      (await runInProcess(["push", "-t", "t", "-s", "Info", "--dry-run", "--timeout", "soon"], {})).code,
    ).toBe(2);
  });
});
