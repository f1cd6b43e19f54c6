#!/usr/bin/env node
// `pnpm demo`: the whole product in one command — a local mock Flashduty, the SDK firing and resolving an
// alert, the CLI pushing one, and the lifecycle the mock recorded. No account, no network.
// `pnpm demo --keep` leaves the mock and its inspector page up until Ctrl-C.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flashduty's title rules are written with ${label}, as text.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "@flash-call/testing/server";
import { createFlashCall } from "flash-call";
import { spawnCollect } from "../../../test-support/spawn-collect.mjs";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.cjs");
const keep = process.argv.slice(2).includes("--keep");
const step = (text) => console.log(`\n▸ ${text}`);
const time = (ms) => new Date(ms).toISOString().slice(11, 23);

const mock = await startMockServer();
try {
  console.log("flash-call demo — a local mock Flashduty stands in for the real one (its key is a mock key)");
  step(`mock Flashduty listening on ${mock.url}`);

  const flashduty = createFlashCall({ pushUrl: mock.pushUrl, labels: { service: "billing" } });
  step('SDK  fire({ title_rule: "[TPL]Disk 92% on ${host}", event_status: "Critical" })');
  const alert = await flashduty.fire({
    title_rule: "[TPL]Disk 92% on ${host}",
    event_status: "Critical",
    alert_key: "disk-db-1",
    labels: { host: "db-1", mount: "/var" },
  });
  console.log(`     → alert_key=${alert.alert_key} request_id=${alert.request_id}`);

  step("SDK  handle.resolve()");
  const resolved = await alert.resolve();
  console.log(`     → request_id=${resolved.request_id}`);

  const args = ["push", "--title", "$job::backup failed", "--status", "Warning", "--label", "job=nightly"];
  step(`CLI  flash-call ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(" ")}`);
  // Asynchronously: the mock answers from this very process, so it must not be blocked while the CLI runs.
  const cli = await spawnCollect(process.execPath, [bin, ...args], {
    env: { ...process.env, FLASHDUTY_PUSH_URL: mock.pushUrl },
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
      // The title as Flashduty would show it, rendered from title_rule and the labels.
      console.log(
        `    ${time(event.received_at)}  ${event.event_status.padEnd(8)} ${JSON.stringify(event.rendered_title.text)}  ${labels}`,
      );
    }
  }
  const ok =
    cli.status === 0 &&
    mock.alerts.get("disk-db-1")?.status === "resolved" &&
    mock.changes.get("deploy-1234")?.status === "Done";
  console.log(ok ? "\n✔ demo complete" : "\n✘ demo did not go as expected");
  process.exitCode = ok ? 0 : 1;
  console.log(`\ninspector (every request, alert and rendered title, live): ${mock.inspectorUrl}`);
  if (keep) {
    console.log("--keep: the mock and its inspector stay up until Ctrl-C");
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  } else {
    console.log("run `pnpm demo --keep` to keep it up until Ctrl-C and open it in a browser");
  }
} finally {
  await mock.close();
}
