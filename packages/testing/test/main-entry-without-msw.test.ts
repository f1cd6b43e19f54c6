// The built package, installed where msw cannot be resolved, must load and answer through handle() and the server.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(packageDir, "..");

/** What the child reports: whether msw resolved, and what each path of the package did. */
interface ChildReport {
  mswResolvable: boolean;
  handleStatus: number;
  events: number;
  handlersError: { name: string; code: string; message: string } | null;
  serverStatus: number;
  serverEntryStatus: number;
}

// Runs in the child as ESM (`import`) and as CommonJS (`require`): `load` is the only difference.
const childBody = (load: string) => `
async function main() {
  const { createMockFlashduty, startMockServer } = ${load}("@flash-call/testing");
  const serverEntry = ${load}("@flash-call/testing/server");
  const report = {};
  report.mswResolvable = await import("msw").then(() => true, () => false);
  const event = JSON.stringify({ title_rule: "disk full", event_status: "Critical" });
  const post = { method: "POST", headers: { "content-type": "application/json" }, body: event };

  const mock = createMockFlashduty();
  const answer = await mock.handle(
    new Request("https://api.flashcat.cloud/event/push/alert/standard?integration_key=no-msw-key-0001", post),
  );
  report.handleStatus = answer.status;
  report.events = mock.events.length;
  try {
    void mock.handlers;
    report.handlersError = null;
  } catch (error) {
    report.handlersError = { name: error.name, code: error.code, message: error.message };
  }

  const server = await startMockServer();
  report.serverStatus = (await fetch(server.pushUrl, post)).status;
  await server.close();
  const fromServerEntry = await serverEntry.startMockServer();
  report.serverEntryStatus = (await fetch(fromServerEntry.pushUrl, post)).status;
  await fromServerEntry.close();
  process.stdout.write(JSON.stringify(report));
}
main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exitCode = 1;
});
`;

let installDir = "";

beforeAll(() => {
  for (const built of ["testing", "core", "errors"]) {
    if (!existsSync(join(packagesDir, built, "dist", "index.js"))) {
      throw new Error(`packages/${built}/dist is missing: run \`pnpm build\` first`);
    }
  }
  // A folder outside the repository, so no node_modules above it holds msw.
  installDir = mkdtempSync(join(tmpdir(), "flash-call-no-msw-"));
  const scope = join(installDir, "node_modules", "@flash-call");
  const testing = join(scope, "testing");
  mkdirSync(testing, { recursive: true });
  // Copied, not linked: a link would resolve msw from the repository's node_modules.
  cpSync(join(packageDir, "package.json"), join(testing, "package.json"));
  cpSync(join(packageDir, "dist"), join(testing, "dist"), { recursive: true });
  // The msw-free dependencies, linked: they resolve their own dependencies (openapi-fetch) where they live.
  symlinkSync(join(packagesDir, "core"), join(scope, "core"), "dir");
  symlinkSync(join(packagesDir, "errors"), join(scope, "errors"), "dir");
  writeFileSync(join(installDir, "check.mjs"), childBody("await import"));
  writeFileSync(join(installDir, "check.cjs"), childBody("require"));
});

afterAll(() => {
  if (installDir !== "") rmSync(installDir, { recursive: true, force: true });
});

function runChild(script: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const { NODE_PATH: _ignored, NODE_OPTIONS: _alsoIgnored, ...env } = process.env;
    execFile(process.execPath, [script], { cwd: installDir, env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as ChildReport);
    });
  });
}

describe("the main entry where msw is not installed", () => {
  test.each(["check.mjs", "check.cjs"])(
    "%s: loads, answers through handle() and both servers, and says msw is needed only for handlers",
    async (script) => {
      const report = await runChild(script);
      expect(report).toEqual({
        mswResolvable: false,
        handleStatus: 200,
        events: 1,
        handlersError: {
          name: "FlashdutyConfigError",
          code: "ConfigError",
          message: expect.stringContaining("npm install --save-dev msw"),
        },
        serverStatus: 200,
        serverEntryStatus: 200,
      });
    },
  );
});
