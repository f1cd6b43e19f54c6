#!/usr/bin/env node
// Checks the built package in the current directory the way its consumers will meet it:
// publint (package.json and files), are-the-types-wrong (types for ESM, CJS and bundlers), and a real
// import() and require() of every entry point from the packed tarball's contents.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const packageDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const root = resolve(packageDir, "..", "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { stdio: "inherit", cwd: packageDir, ...options });

console.log(`\n== ${manifest.name}: publint`);
run(bin("publint"), ["--strict"]);

const scratch = mkdtempSync(join(tmpdir(), "flash-call-pack-"));
try {
  // pnpm pack rewrites workspace:^ ranges to real versions, as a publish would.
  run("pnpm", ["pack", "--pack-destination", scratch], { stdio: "pipe" });
  const tarball = execFileSync("ls", [scratch]).toString().trim().split("\n")[0];
  const tarballPath = join(scratch, tarball);

  console.log(`== ${manifest.name}: are-the-types-wrong`);
  run(bin("attw"), [tarballPath, "--profile", "node16", "--format", "table-flipped"]);

  console.log(`== ${manifest.name}: import() and require() of every entry`);
  const entries = Object.keys(manifest.exports).filter((entry) => entry !== "./package.json");
  const requireFromHere = createRequire(join(packageDir, "package.json"));
  for (const entry of entries) {
    const specifier = entry === "." ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
    const esm = await import(pathToFileURL(requireFromHere.resolve(specifier).replace(/\.cjs$/, ".js")).href);
    const cjs = requireFromHere(specifier);
    const esmNames = Object.keys(esm).sort().join(",");
    const cjsNames = Object.keys(cjs).sort().join(",");
    if (esmNames !== cjsNames || esmNames === "") {
      throw new Error(`${specifier}: ESM exports [${esmNames}] differ from CJS exports [${cjsNames}]`);
    }
    console.log(`   ${specifier}: ${esmNames.split(",").length} exports from ESM and CJS`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
