import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MockServer } from "@flash-call/testing/server";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BIN, type CliRun, expectClean } from "./run-cli.js";
import { useMockServer } from "./use-mock-server.js";

// The compile cache needs Node ≥ 22.1. Each Node at hand is tested: the one running the tests (Node 20 in CI, where
// the bin must run exactly as without a cache) and those of the runtime matrix once `node runtimes/run.mjs` has
// installed them.
const toolchain = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../runtimes/.cache/toolchain/node_modules",
);
const nodes = [
  process.execPath,
  ...["node22", "node24", "node26"].map((name) => `${toolchain}/${name}/bin/node`),
]
  .filter((node) => existsSync(node))
  .map((node) => {
    const probe = spawnSync(
      node,
      ["-p", "process.version + ' ' + typeof require('node:module').enableCompileCache"],
      {
        encoding: "utf8",
      },
    );
    const [version = "?", hasCache] = probe.stdout.trim().split(" ");
    return { node, version, hasCache: hasCache === "function" };
  });

let mock: MockServer;
let env: Record<string, string>;
useMockServer((started) => ({ mock, env } = started));

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "flash-call-compile-cache-e2e-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function push(node: string, extraEnv: Record<string, string>, title = "compile cache"): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      node,
      [BIN, "push", "--title", title, "--status", "Info"],
      { env: { ...env, ...extraEnv }, encoding: "utf8" },
      (error, stdout, stderr) => {
        const run = { code: error === null ? 0 : (error.code as number), stdout, stderr };
        expectClean(run);
        resolve(run);
      },
    );
  });
}

const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );

const privateFolder = (temp: string) => join(temp, `flash-call-compile-cache-${process.getuid?.() ?? ""}`);

for (const { node, version } of nodes.filter((each) => each.hasCache)) {
  describe(`the bin's compile cache on Node ${version}`, () => {
    test("is kept in a folder of the user's own in TMPDIR, used by the next run, and holds no key or event", async () => {
      const debug = { TMPDIR: scratch, NODE_DEBUG_NATIVE: "COMPILE_CACHE" };
      const first = await push(node, debug, "first-title-marker");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^delivered alert_key=/);
      expect(statSync(privateFolder(scratch)).mode & 0o777).toBe(0o700);
      const second = await push(node, debug, "second-title-marker");
      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/cache for (?:CommonJS )?\S+run-process\.cjs was accepted/);
      expect(mock.events).toHaveLength(2);
      // Without the debug switch a run with the cache on says nothing but its result.
      const quiet = await push(node, { TMPDIR: scratch });
      expect(quiet).toMatchObject({ code: 0, stderr: "" });

      const cached = filesUnder(privateFolder(scratch));
      expect(cached.length).toBeGreaterThan(0);
      for (const file of cached) {
        const bytes = readFileSync(file).toString("latin1");
        for (const secret of [mock.integrationKey, encodeURIComponent(mock.integrationKey), "title-marker"]) {
          expect(bytes).not.toContain(secret);
        }
      }
    });

    test("runs as usual, without a word, when the temp folder cannot hold it", async () => {
      const file = join(scratch, "a-file");
      writeFileSync(file, "");
      const run = await push(node, { TMPDIR: file });
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(/^delivered alert_key=/);
    });

    test("goes where NODE_COMPILE_CACHE says, when it is set", async () => {
      const chosen = join(scratch, "chosen");
      const run = await push(node, { TMPDIR: scratch, NODE_COMPILE_CACHE: chosen });
      expect(run.code).toBe(0);
      expect(filesUnder(chosen).length).toBeGreaterThan(0);
      expect(existsSync(privateFolder(scratch))).toBe(false);
    });
  });
}

for (const { node, version } of nodes.filter((each) => !each.hasCache)) {
  test(`on Node ${version}, which has no compile cache, the bin pushes and leaves nothing in TMPDIR`, async () => {
    const run = await push(node, { TMPDIR: scratch });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^delivered alert_key=/);
    expect(readdirSync(scratch)).toEqual([]);
  });
}
