// The secret scan of the change path: one recognisable change key driven through the SDK's change methods (with
// hooks, a debug logger and faults) and the bin's change and deploy commands, and every byte they produce
// scanned for the key, raw and URL-encoded, and for every 8-character piece of it.
import { startMockServer } from "@flash-call/testing";
import { createFlashCall } from "flash-call";
import { expect, test } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { baseEnv, runCli } from "./run-cli.js";
import { scanCapture } from "./scan-capture.js";

// URL-encoding changes +, / and =, so the raw and the encoded form differ.
const KEY = "chgKEY+with/Chars=0123456789abcdef";

test("the change key appears in no output, log, hook or error of the change path", async () => {
  const mock = await startMockServer({
    integrationKeys: [KEY],
    rateLimit: { perSecond: 50, perMinute: 1000 },
  });
  const changePushUrl = `${mock.baseUrl}/event/push/change/standard?integration_key=${encodeURIComponent(KEY)}`;
  const { written, capture, options } = scanCapture();
  try {
    const flashduty = createFlashCall({ changePushUrl, ...options });
    const change = { title: "scan", change_status: "Processing" as const, change_key: "scan-1" };
    const faults = [
      "Unauthorized",
      ["InternalError", "InternalError"],
      [{ kind: "reset" }, { kind: "html" }],
      { kind: "error-in-200", code: "Unauthorized", message: `key ${KEY} refused` },
    ] as const;
    for (const fault of faults) {
      mock.failNext(fault as never);
      await flashduty.change({ ...change, description: "d".repeat(3000) }).then(capture, capture);
    }
    const handle = await flashduty.startChange(change);
    capture(handle);
    await handle.done().then(capture, capture);
    await flashduty.change({ ...change, change_key: "" }).catch(capture);
    await flashduty.change(change, { pushUrl: `nonsense?integration_key=${KEY}` }).catch(capture);
    await createFlashCall({ changePushUrl: changePushUrl.replace("change", "alert") })
      .change(change)
      .catch(capture);

    const env = baseEnv({ FLASHDUTY_CHANGE_PUSH_URL: changePushUrl });
    const keyEnv = baseEnv({ FLASHDUTY_CHANGE_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: mock.baseUrl });
    const flags = ["--title", "scan", "--change-key", "scan-2"];
    mock.failNext("Unauthorized");
    const runs = [
      await runCli(["change", ...flags, "--status", "done", "--json"], env),
      await runCli(["change", ...flags, "--status", "done"], env),
      await runCli(
        ["change", ...flags, "--status", "done", "--key", KEY, "--base-url", mock.baseUrl],
        baseEnv(),
      ),
      await runCli(["change", ...flags, "--status", "done", "--push-url", changePushUrl, "-n"], baseEnv()),
      await runCli(
        ["change", "--file", "-"],
        keyEnv,
        '{"title":"a","change_status":"Done","change_key":"b"}\nnot json\n',
      ),
      await runCli(["deploy", ...flags, "--", process.execPath, "-e", "process.exit(4)"], keyEnv),
      await runCli(
        ["deploy", ...flags, "--push-url", changePushUrl.replace("change", "alert"), "--", "true"],
        baseEnv(),
      ),
    ];
    for (const run of runs) written.push(run.stdout, run.stderr);
    expect(runs.map((run) => run.code)).toEqual([1, 0, 0, 0, 2, 4, 0]);
  } finally {
    await mock.close();
  }
  const all = written.join("\n");
  expect(all.length).toBeGreaterThan(1000);
  expect(leakedPieces(all, KEY)).toEqual([]);
});
