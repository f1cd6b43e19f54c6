// The secret scan: one recognisable key driven through every kind of scenario — SDK failures with hooks
// and a debug logger, and the real bin's push, resolve, batch, OCP, dry-run, --json, spool and flush, with faults
// — and every byte they produce scanned for the key, raw and URL-encoded: stdout, stderr, log lines, hook
// payloads, error messages/stacks/JSON/inspect output, and every file left in the spool directory.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@flash-call/testing";
import { createFlashCall } from "flash-call";
import { expect, test } from "vitest";
import { baseEnv, runCli } from "./run-cli.js";
import { scanCapture } from "./scan-capture.js";

// URL-encoding changes +, / and =, so the raw and the encoded form differ.
const KEY = "scanKEY+with/Chars=0123456789abcdef";
const FORMS = [KEY, encodeURIComponent(KEY), "scanKEY%2Bwith"];

test("the key appears in no output, log, hook, error or spool file of any scenario", async () => {
  const mock = await startMockServer({
    integrationKeys: [KEY],
    rateLimit: { perSecond: 50, perMinute: 1000 },
  });
  const pushUrl = `${mock.baseUrl}/event/push/alert/standard?integration_key=${encodeURIComponent(KEY)}`;
  const spool = join(await mkdtemp(join(tmpdir(), "flash-call-scan-")), "spool");
  const { written, capture, options } = scanCapture();
  try {
    // The SDK: every hook and log line, every error.
    const flashduty = createFlashCall({ pushUrl, ...options });
    const faults = [
      "Unauthorized",
      "InvalidParameter",
      ["InternalError", "InternalError"],
      [{ kind: "reset" }, { kind: "reset" }],
      [{ kind: "html" }, { kind: "truncated" }],
      [
        { kind: "delay", ms: 1000 },
        { kind: "delay", ms: 1000 },
      ],
      { kind: "error-in-200", code: "Unauthorized", message: `key ${KEY} refused` },
    ] as const;
    for (const fault of faults) {
      mock.failNext(fault as never);
      await flashduty.push({ title_rule: "x".repeat(600), event_status: "Warning" }).then(capture, capture);
    }
    await flashduty.push({ title_rule: "", event_status: "Info" }).catch(capture);
    await flashduty
      .push({ title_rule: "t", event_status: "Info" }, { pushUrl: `nonsense?integration_key=${KEY}` })
      .catch(capture);
    capture(flashduty.prepare({ title_rule: "t", event_status: "Info" }));

    // The bin: every command, with the key in the environment and on the command line.
    const env = baseEnv({ FLASHDUTY_PUSH_URL: pushUrl });
    const keyEnv = baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: mock.baseUrl });
    const runs = [
      await runCli(["push", "-t", "scan", "-s", "Critical", "-k", "scan-1", "--json"], env),
      await runCli(["resolve", "--alert-key", "scan-1"], env),
      await runCli(["push", "-t", "scan", "-s", "Info", "--key", KEY, "--base-url", mock.baseUrl], baseEnv()),
      await runCli(["push", "-t", "scan", "-s", "Info", "--push-url", pushUrl, "--dry-run"], baseEnv()),
      await runCli(["push", KEY], keyEnv),
      await runCli(
        ["push", "--file", "-"],
        keyEnv,
        '{"title_rule":"a","event_status":"Info"}\nnot json\n{"event_status":"Ok"}\n',
      ),
      await runCli(["ocp"], {
        ...keyEnv,
        alarm_id: "1",
        alarm_name: `n ${KEY}`,
        alarm_status: "Active",
        alarm_level: "Critical",
      }),
    ];
    mock.failNext(["InternalError", "InternalError", "InternalError", "InternalError"]);
    runs.push(
      await runCli(["push", "-t", "spooled", "-s", "Warning", "--retries", "0", "--spool", spool], env),
    );
    runs.push(await runCli(["flush", "--spool", spool, "--json"], env));
    mock.failNext("Unauthorized");
    runs.push(await runCli(["push", "-t", "refused", "-s", "Warning", "--json"], env));
    for (const run of runs) written.push(run.stdout, run.stderr);
    // The scenarios really ran: delivered, usage error, spooled, flushed, refused.
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 2, 2, 0, 3, 0, 1]);

    for (const name of await readdir(spool).catch(() => [] as string[])) {
      written.push(name, await readFile(join(spool, name), "utf8").catch(() => ""));
    }
  } finally {
    await mock.close();
  }
  const everything = written.join("\n");
  expect(written.length).toBeGreaterThan(60);
  for (const form of FORMS) expect(everything).not.toContain(form);
  // The scan can see: the masked form is there.
  expect(everything).toContain("scan");
}, 120_000);
