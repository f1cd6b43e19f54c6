#!/usr/bin/env node
// Installs the packed packages (as `pnpm pack` would publish them) into a fresh npm project in a temp folder and
// uses them the way users do: core and the SDK from ESM and from require(), their types (a bad status must not
// compile), and the installed `flash-call` bin, all against the packed testing package's real mock server.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const packages = ["core", "errors", "keys", "flash-call", "redis", "testing", "cli"];
const scratch = mkdtempSync(join(tmpdir(), "flash-call-packed-"));
const tarballs = join(scratch, "tarballs");
const project = join(scratch, "project");
mkdirSync(tarballs);
mkdirSync(project);
const run = (command, args, options = {}) =>
  execFileSync(command, args, {
    cwd: project,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
  });
const step = (name) => console.log(`packed: ${name}`);

/** This Node and those of the runtime matrix that `node runtimes/run.mjs` installed. */
function nodesAtHand() {
  const toolchain = join(root, "runtimes", ".cache", "toolchain", "node_modules");
  const installed = ["node22", "node24", "node26"].map((name) => join(toolchain, name, "bin", "node"));
  return [process.execPath, ...installed.filter((node) => existsSync(node))];
}

try {
  for (const name of packages) {
    run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(root, "packages", name) });
  }
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fresh-project", private: true }));
  step(`npm install ${files.length} tarballs into a fresh project`);
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files, "msw@^2"]);

  const server = `
    const { startMockServer } = await import("@flash-call/testing/server");
    const mock = await startMockServer({ rateLimit: false });`;
  writeFileSync(
    join(project, "esm.mjs"),
    `import { createClient } from "@flash-call/core";
    import { createFlashCall, UnauthorizedError } from "flash-call";
    import { ERROR_CODES, errorFromResponse, FlashdutyError } from "@flash-call/errors";
    import { parsePushUrl, redact, resolveKey } from "@flash-call/keys";
    if (!(errorFromResponse(401, '{"error":{"code":"Unauthorized","message":"x"}}') instanceof UnauthorizedError)) throw new Error("errors and the SDK disagree on classes");
    if (ERROR_CODES.NoLicense.status !== 400 || !FlashdutyError.isInstance(errorFromResponse(502, "<html>"))) throw new Error("errors package");
    ${server}
    const parsed = parsePushUrl(mock.pushUrl);
    if (parsed.baseUrl !== mock.baseUrl || resolveKey(parsed.integrationKey).key.masked === parsed.integrationKey) throw new Error("keys package");
    if (redact("key=" + mock.integrationKey).includes(mock.integrationKey)) throw new Error("redact");
    const client = createClient({ baseUrl: mock.baseUrl });
    const core = await client.POST("/event/push/alert/standard", {
      params: { query: { integration_key: mock.integrationKey } },
      body: { title_rule: "from core (ESM)", event_status: "Info" },
    });
    if (!core.data?.data.alert_key) throw new Error("core push failed");
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent", maxRetries: 0 });
    const alert = await flashduty.fire({ title_rule: "from the SDK (ESM)", event_status: "Critical" });
    await alert.resolve();
    mock.failNext("Unauthorized");
    const error = await flashduty.push({ title_rule: "x", event_status: "Info" }).catch((e) => e);
    if (!(error instanceof UnauthorizedError)) throw new Error("expected UnauthorizedError");
    if (mock.events.length !== 3 || mock.alerts.get(alert.alert_key)?.status !== "resolved") throw new Error("mock saw " + mock.events.length);
    const change = await createFlashCall({ changePushUrl: mock.changePushUrl, logLevel: "silent" }).change({ title: "from the SDK (ESM)", change_status: "Done", change_key: "packed-1" });
    if (!change.request_id || mock.changes.get("packed-1")?.status !== "Done") throw new Error("the change did not arrive");
    await mock.close();
    console.log("esm ok");`,
  );
  step("ESM: core and SDK push to the mock server");
  console.log(run("node", ["esm.mjs"]).trim());

  writeFileSync(
    join(project, "cjs.cjs"),
    `const { createClient } = require("@flash-call/core");
    const { createFlashCall, FlashdutyError } = require("flash-call");
    const { ERROR_CODES } = require("@flash-call/errors");
    const { parsePushUrl } = require("@flash-call/keys");
    if (ERROR_CODES.Unauthorized.status !== 401 || !parsePushUrl("https://x.example/event/push/alert/standard?integration_key=abcdefgh12345678").integrationKey) throw new Error("errors/keys from require()");
    (async () => {
      ${server}
      const client = createClient({ baseUrl: mock.baseUrl });
      const core = await client.POST("/event/push/alert/standard", {
        params: { query: { integration_key: mock.integrationKey } },
        body: { title_rule: "from core (CJS)", event_status: "Info" },
      });
      if (!core.data?.data.alert_key) throw new Error("core push failed");
      const result = await createFlashCall({ pushUrl: mock.pushUrl, logLevel: "silent" }).push({ title_rule: "from the SDK (CJS)", event_status: "Warning" });
      if (!result.data.alert_key || mock.events.length !== 2) throw new Error("SDK push failed");
      const error = await createFlashCall({ pushUrl: mock.pushUrl }).push({ title_rule: "", event_status: "Info" }).catch((e) => e);
      if (!FlashdutyError.isInstance(error) || error.code !== "ValidationError") throw new Error("expected a validation error");
      await mock.close();
      console.log("cjs ok");
    })().catch((error) => { console.error(error); process.exit(1); });`,
  );
  step("CJS: core and SDK push to the mock server");
  console.log(run("node", ["cjs.cjs"]).trim());

  writeFileSync(
    join(project, "types.ts"),
    `import type { AlertEvent } from "@flash-call/core";
    import { pushAlert } from "flash-call";
    export const good: AlertEvent = { title_rule: "t", event_status: "Critical" };
    // @ts-expect-error a bad status must not compile
    export const bad: AlertEvent = { title_rule: "t", event_status: "critical" };
    // @ts-expect-error nor through the SDK
    export const viaSdk = () => pushAlert({ title_rule: "t", event_status: "Error" });
    `,
  );
  for (const moduleKind of [
    ["--module", "nodenext", "--moduleResolution", "nodenext"],
    ["--module", "esnext", "--moduleResolution", "bundler"],
  ]) {
    step(`types (${moduleKind[1]}): a bad status does not compile`);
    run(join(root, "node_modules", ".bin", "tsc"), [
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      ...moduleKind,
      "--target",
      "es2022",
      "--types",
      "node",
      "--typeRoots",
      join(root, "node_modules", "@types"),
      "types.ts",
    ]);
  }

  step("the installed flash-call bin pushes to the mock server");
  writeFileSync(
    join(project, "cli.mjs"),
    `import { execFile } from "node:child_process";
    import { promisify } from "node:util";
    import { startMockServer } from "@flash-call/testing/server";
    const NODES = ${JSON.stringify(nodesAtHand())};
    // Asynchronous: the mock server answers from this process's event loop.
    const run = promisify(execFile);
    const mock = await startMockServer({ rateLimit: false });
    const { stdout: out } = await run("npx", ["--no-install", "flash-call", "push", "--title", "from the packed CLI", "--status", "Warning", "--json"], {
      env: { ...process.env, FLASHDUTY_PUSH_URL: mock.pushUrl },
    });
    await run("npx", ["--no-install", "flash-call", "change", "--title", "from the packed CLI", "--status", "done", "--change-key", "packed-2"], {
      env: { ...process.env, FLASHDUTY_CHANGE_PUSH_URL: mock.changePushUrl },
    });
    if (mock.changes.get("packed-2")?.status !== "Done") throw new Error("the CLI change did not arrive");
    const version = (await run("npx", ["--no-install", "flash-call", "--version"])).stdout.trim();
    // The bin through its node_modules/.bin symlink, on every Node at hand: it requires its second file from beside
    // its real path, and on Node 22 turns on its compile cache (in this scratch TMPDIR).
    for (const node of NODES) {
      const { stdout: pushed } = await run(node, ["node_modules/.bin/flash-call", "push", "--title", "from " + node, "--status", "Info"], {
        env: { ...process.env, FLASHDUTY_PUSH_URL: mock.pushUrl, TMPDIR: ${JSON.stringify(scratch)} },
      });
      if (!pushed.startsWith("delivered alert_key=")) throw new Error("the bin did not push on " + node + ": " + pushed);
    }
    if (out.includes(mock.integrationKey)) throw new Error("the CLI printed the key");
    if (mock.events.length !== 1 + NODES.length || mock.events[0].title_rule !== "from the packed CLI") throw new Error("the CLI push did not arrive");
    await mock.close();
    console.log("cli ok, version " + version);`,
  );
  console.log(run("node", ["cli.mjs"]).trim());
  console.log("packed: all checks passed");
} catch (error) {
  console.error(String(error.stdout ?? ""), String(error.stderr ?? ""));
  console.error(`packed: FAILED: ${error.message.split("\n")[0]}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
