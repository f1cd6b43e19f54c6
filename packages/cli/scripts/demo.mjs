#!/usr/bin/env node
// `pnpm demo`: the whole product in one command — a local mock Flashduty, the SDK firing and resolving an
// alert, the CLI pushing one, and the lifecycle the mock recorded. No account, no network.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "@flash-call/testing/server";
import { createFlashCall } from "flash-call";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
const step = (text) => console.log(`\n▸ ${text}`);
const time = (ms) => new Date(ms).toISOString().slice(11, 23);

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const mock = await startMockServer();
try {
  console.log("flash-call demo — a local mock Flashduty stands in for the real one (its key is a mock key)");
  step(`mock Flashduty listening on ${mock.url}`);

  const flashduty = createFlashCall({ pushUrl: mock.pushUrl, labels: { service: "billing" } });
  step('SDK  fire({ title_rule: "Disk 92% on db-1", event_status: "Critical" })');
  const alert = await flashduty.fire({
    title_rule: "Disk 92% on db-1",
    event_status: "Critical",
    alert_key: "disk-db-1",
    labels: { host: "db-1", mount: "/var" },
  });
  console.log(`     → alert_key=${alert.alert_key} request_id=${alert.request_id}`);

  step("SDK  handle.resolve()");
  const resolved = await alert.resolve();
  console.log(`     → request_id=${resolved.request_id}`);

  const args = ["push", "--title", "Backup job failed", "--status", "Warning", "--label", "job=nightly"];
  step(`CLI  flash-call ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(" ")}`);
  // Asynchronously: the mock answers from this very process, so it must not be blocked while the CLI runs.
  const cli = await run(process.execPath, [bin, ...args], {
    ...process.env,
    FLASHDUTY_PUSH_URL: mock.pushUrl,
  });
  console.log(`     → exit ${cli.status}: ${(cli.stdout || cli.stderr).trim()}`);

  step('SDK  change({ title: "Deploy billing v2.4.1", change_status: "Done", change_key: "deploy-1234" })');
  const change = await createFlashCall({ changePushUrl: mock.changePushUrl }).change({
    title: "Deploy billing v2.4.1",
    change_status: "Done",
    change_key: "deploy-1234",
    labels: { service: "billing" },
  });
  console.log(`     → request_id=${change.request_id} (the mock holds ${mock.changes.size} change)`);
  await flashduty.close();

  step("what the mock recorded");
  for (const record of mock.alerts.values()) {
    const lifecycle = record.status === "resolved" ? "open → resolved" : "open";
    console.log(`  alert ${record.alert_key}  ${lifecycle}`);
    for (const event of record.events) {
      const labels = Object.entries(event.labels ?? {})
        .map(([name, value]) => `${name}=${value}`)
        .join(" ");
      console.log(
        `    ${time(event.received_at)}  ${event.event_status.padEnd(8)} ${JSON.stringify(event.title_rule)}  ${labels}`,
      );
    }
  }
  const ok =
    cli.status === 0 &&
    mock.alerts.get("disk-db-1")?.status === "resolved" &&
    mock.changes.get("deploy-1234")?.status === "Done";
  console.log(ok ? "\n✔ demo complete" : "\n✘ demo did not go as expected");
  process.exitCode = ok ? 0 : 1;
} finally {
  await mock.close();
}
