import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesRoot = join(cliRoot, "..");
const bundled = ["cli", "flash-call", "core", "errors", "keys", "testing"];

function newestSource(directory: string): number {
  if (!existsSync(directory)) return 0;
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!/\.test(-d)?\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/bin.cjs with tsup when it is missing or older than any source it bundles. */
export default function setup(): void {
  const bin = join(cliRoot, "dist", "bin.cjs");
  const sources = Math.max(
    ...bundled.map((name) => newestSource(join(packagesRoot, name, "src"))),
    statSync(join(cliRoot, "tsup.config.ts")).mtimeMs,
    statSync(join(cliRoot, "package.json")).mtimeMs,
  );
  if (existsSync(bin) && statSync(bin).mtimeMs >= sources) return;
  const tsupCli = join(dirname(createRequire(import.meta.url).resolve("tsup")), "cli-default.js");
  execFileSync(process.execPath, [tsupCli], {
    cwd: cliRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
