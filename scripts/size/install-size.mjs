import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The CLI and every workspace package it depends on, packed as they would be published. */
const PACKED = ["core", "errors", "keys", "testing", "flash-call", "cli"];

/** pnpm as the caller ran it (pnpm sets npm_execpath to itself), else the pinned one through npx. */
export function pnpmCommand() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: only picks which pnpm binary runs `pack`, not what it packs
  const execPath = process.env.npm_execpath;
  if (execPath?.includes("pnpm")) return { command: process.execPath, prefix: [execPath] };
  return { command: "npx", prefix: ["--yes", "pnpm@10.34.8"] };
}

/**
 * Runs a command, keeping its chatter (npm's config warnings) out of the tables unless it fails.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {string} cwd
 * @example quietly("npm", ["install"], "/tmp/app");
 */
export function quietly(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status ?? result.error}):\n${result.stderr}`,
    );
  }
}

/**
 * Packs the workspace packages with `pnpm pack` (which turns `workspace:^` into real versions) into `directory`.
 * @param {string} directory
 * @param {readonly string[]} [packages] folder names under packages/, default the CLI and its workspace dependencies
 * @returns {Record<string, string>} folder name → absolute tarball path
 * @example const tarballs = packWorkspace("/tmp/x", ["core", "errors"]);
 */
export function packWorkspace(directory, packages = PACKED) {
  const { command, prefix } = pnpmCommand();
  const tarballs = {};
  for (const folder of packages) {
    const before = new Set(readdirSync(directory));
    quietly(command, [...prefix, "pack", "--pack-destination", directory], `${ROOT}/packages/${folder}`);
    const created = readdirSync(directory).find((name) => !before.has(name) && name.endsWith(".tgz"));
    if (created === undefined) throw new Error(`pnpm pack produced no tarball for packages/${folder}`);
    tarballs[folder] = join(directory, created);
  }
  return tarballs;
}

function walk(path, totals) {
  const stats = lstatSync(path);
  if (stats.isDirectory()) {
    for (const name of readdirSync(path)) walk(join(path, name), totals);
    return;
  }
  totals.files += 1;
  totals.bytes += stats.size;
  totals.blocks += stats.blocks * 512;
}

/**
 * Measures what `npm install @flash-call/cli` puts on disk: the CLI and its workspace dependencies are packed,
 * then installed together from those tarballs with npm (production dependencies only, no optional peers such as
 * msw), and node_modules is walked: apparent bytes (sum of file sizes), on-disk bytes (allocated blocks) and files,
 * in total and per top-level package.
 *
 * @returns {{ tarballBytes: number; total: { files: number; bytes: number; blocks: number };
 *   packages: Array<{ name: string; files: number; bytes: number }> }}
 * @example const { total } = measureCliInstall(); console.log(total.bytes);
 */
export function measureCliInstall() {
  const workDirectory = mkdtempSync(join(tmpdir(), "flash-call-install-size-"));
  try {
    const tarballDirectory = join(workDirectory, "tarballs");
    const installDirectory = join(workDirectory, "install");
    mkdirSync(tarballDirectory);
    mkdirSync(installDirectory);
    const tarballs = packWorkspace(tarballDirectory);
    writeFileSync(join(installDirectory, "package.json"), '{ "private": true }\n');
    quietly(
      "npm",
      [
        "install",
        "--omit=dev",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel=error",
        ...Object.values(tarballs),
      ],
      installDirectory,
    );
    const modules = join(installDirectory, "node_modules");
    const total = { files: 0, bytes: 0, blocks: 0 };
    walk(modules, total);
    const packages = [];
    for (const name of readdirSync(modules)) {
      if (name.startsWith(".")) continue;
      const scoped = name.startsWith("@")
        ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`)
        : [name];
      for (const packageName of scoped) {
        const totals = { files: 0, bytes: 0, blocks: 0 };
        walk(join(modules, packageName), totals);
        packages.push({ name: packageName, files: totals.files, bytes: totals.bytes });
      }
    }
    packages.sort((left, right) => right.bytes - left.bytes);
    return { tarballBytes: statSync(tarballs.cli).size, total, packages };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}
