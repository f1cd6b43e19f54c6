import { execFile, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
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

function push(
  node: string,
  extraEnv: Record<string, string>,
  title = "compile cache",
  bin = BIN,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      node,
      [bin, "push", "--title", title, "--status", "Info"],
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

/** The code caches of `push` runs in the private folder under `temp`. */
const pushCaches = (temp: string) =>
  filesUnder(privateFolder(temp)).filter((file) => /push-process\.cjs-.+-push\.cache$/.test(file));

for (const { node, version } of nodes.filter((each) => each.hasCache)) {
  describe(`the bin's compile cache on Node ${version}`, () => {
    test("is kept in a folder of the user's own in TMPDIR, used by the next run, and holds no key or event", async () => {
      const first = await push(node, { TMPDIR: scratch }, "first-title-marker");
      expect(first).toMatchObject({ code: 0, stderr: "" });
      expect(first.stdout).toMatch(/^delivered alert_key=/);
      expect(statSync(privateFolder(scratch)).mode & 0o777).toBe(0o700);
      const [made] = pushCaches(scratch);
      expect(made).toBeDefined();
      expect(statSync(made as string).mode & 0o777).toBe(0o600);
      const before = statSync(made as string);
      const second = await push(node, { TMPDIR: scratch }, "second-title-marker");
      expect(second).toMatchObject({ code: 0, stderr: "" });
      // Accepted: a run whose cache V8 took writes none (a new one would be renamed in: another inode).
      const after = statSync(made as string);
      expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
      expect(mock.events).toHaveLength(2);

      const cached = filesUnder(privateFolder(scratch));
      expect(cached.length).toBeGreaterThan(0);
      for (const file of cached) {
        const bytes = readFileSync(file).toString("latin1");
        for (const secret of [mock.integrationKey, encodeURIComponent(mock.integrationKey), "title-marker"]) {
          expect(bytes).not.toContain(secret);
        }
      }
    });

    test("a cache V8 refuses, or one made from another bundle, is replaced by the run that finds it", async () => {
      await push(node, { TMPDIR: scratch });
      const [made] = pushCaches(scratch) as [string];
      const header = readFileSync(made, "latin1").split("\n")[0];
      for (const planted of [`${header}\nnot V8 code at all`, `1-2-3\n${"x".repeat(64)}`]) {
        writeFileSync(made, planted, "latin1");
        const run = await push(node, { TMPDIR: scratch });
        expect(run).toMatchObject({ code: 0, stderr: "" });
        expect(run.stdout).toMatch(/^delivered alert_key=/);
        expect(readFileSync(made, "latin1")).not.toBe(planted);
        expect(readFileSync(made, "latin1").startsWith(`${header}\n`)).toBe(true);
      }
    });

    test("two installs used in turn keep a cache each, neither replacing the other's", async () => {
      const install = join(scratch, "another-install");
      cpSync(dirname(BIN), install, { recursive: true });
      const bins = [BIN, join(install, "bin.cjs")];
      for (const bin of bins)
        expect(await push(node, { TMPDIR: scratch }, "install", bin)).toMatchObject({ code: 0 });
      const made = pushCaches(scratch);
      expect(made).toHaveLength(2);
      const before = made.map((file) => statSync(file).ino);
      for (const bin of bins)
        expect(await push(node, { TMPDIR: scratch }, "install", bin)).toMatchObject({ code: 0 });
      expect(pushCaches(scratch).map((file) => statSync(file).ino)).toEqual(before);
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
