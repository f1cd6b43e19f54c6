// scripts/system-packages.sh (the first step of `pnpm test`) says what it installs with apt-get. Run against a
// PATH where tinyproxy, chromium and redis-server are missing and apt-get, dpkg-query and id are stand-ins that
// record what they were asked, so the test installs nothing.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, test } from "vitest";

const script = fileURLToPath(new URL("../../../scripts/system-packages.sh", import.meta.url));
let bin: string;

function stub(name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function runScript(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("/bin/bash", [script], { env: { PATH: bin } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeEach(() => {
  // A PATH of its own: the shell tools the script uses and the stand-ins, none of the tools it looks for.
  bin = mkdtempSync(join(tmpdir(), "flash-call-system-packages-"));
  for (const tool of ["mktemp", "cat", "rm", "sed"]) symlinkSync(join("/usr/bin", tool), join(bin, tool));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

test("as root with apt-get: names the packages, the apt-get command, and each package installed", async () => {
  stub("id", "echo 0");
  stub(
    "apt-get",
    `echo "$@" >> "${bin}/apt-get.calls"
case "$*" in *install*) printf 'The following NEW packages will be installed:\\n  libfoo redis-server tinyproxy chromium\\n0 upgraded, 4 newly installed\\n';; esac`,
  );
  stub(
    "dpkg-query",
    'for p in "$@"; do case "$p" in -*) ;; *) echo "system packages: installed $p 1.0";; esac; done',
  );
  const run = await runScript();
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(
    "installing tinyproxy chromium redis-server with apt-get install -y --no-install-recommends tinyproxy chromium redis-server",
  );
  expect(run.stdout).toContain("The following NEW packages will be installed:");
  for (const name of ["tinyproxy", "chromium", "redis-server"]) {
    expect(run.stdout).toContain(`installed ${name}`);
  }
  const calls = readFileSync(join(bin, "apt-get.calls"), "utf8");
  expect(calls).toContain("install -y -q --no-install-recommends tinyproxy chromium redis-server");
});

test("without root: installs nothing and says what is missing and the command to install it", async () => {
  stub("id", "echo 1000");
  stub("apt-get", `touch "${bin}/apt-get.called"`);
  const run = await runScript();
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(
    "missing tinyproxy chromium redis-server; install them with: sudo apt-get install -y --no-install-recommends tinyproxy chromium redis-server",
  );
  expect(() => readFileSync(join(bin, "apt-get.called"))).toThrow();
});
