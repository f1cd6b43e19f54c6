#!/usr/bin/env node
// The property tests (every test file that imports fast-check), and the convention they follow: each run of a
// property (fc.assert, fc.check, fc.sample) takes its seed and case count from test-support/fast-check.ts's
// propertyOptions, so `pnpm test` is deterministic and `pnpm test:fuzz` can randomize and lengthen every one.
//
//   node scripts/property-tests.mjs --check   exit 1, naming the file, when a property does not use propertyOptions
//   node scripts/property-tests.mjs --fuzz    run every property test with random seeds and more cases (pnpm test:fuzz)
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Test files (tracked or new, not ignored) that import fast-check, relative to the repository root. */
export function propertyTestFiles() {
  const listed = execFileSync(
    "git",
    [
      "ls-files",
      "--cached",
      "--others",
      "--exclude-standard",
      "--",
      "packages/*.test.ts",
      "test-support/*.ts",
    ],
    { cwd: root, encoding: "utf8" },
  );
  return listed
    .split("\n")
    .filter((file) => file.endsWith(".test.ts"))
    .filter((file) => /from\s+["']fast-check["']/.test(readFileSync(join(root, file), "utf8")));
}

/** Files (relative to the root, or absolute) whose fast-check runs outnumber their propertyOptions calls. */
export function unwired(files) {
  const problems = [];
  for (const file of files) {
    const text = readFileSync(resolve(root, file), "utf8");
    const runs = text.match(/\bfc\.(assert|check|sample)\(/g)?.length ?? 0;
    const wired = text.match(/\bpropertyOptions\(/g)?.length ?? 0;
    if (runs > wired) {
      problems.push(
        `${file}: ${runs} fast-check run(s) but ${wired} propertyOptions(...): pass propertyOptions(name, { numRuns }) from test-support/fast-check.ts as each run's parameters`,
      );
    }
  }
  return problems;
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const files = main ? propertyTestFiles() : [];
if (!main) {
  // Imported by a test: only the functions above.
} else if (process.argv.includes("--check")) {
  const problems = unwired(files);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(`property tests: ${files.length} files, every property seeded through propertyOptions`);
} else if (process.argv.includes("--fuzz")) {
  const byPackage = new Map();
  for (const file of files) {
    const packageDir = file.split("/").slice(0, 2).join("/");
    byPackage.set(packageDir, [...(byPackage.get(packageDir) ?? []), relative(packageDir, file)]);
  }
  let failed = 0;
  for (const [packageDir, packageFiles] of byPackage) {
    console.log(`\n== ${packageDir}: ${packageFiles.join(", ")}`);
    const run = spawnSync("npx", ["vitest", "run", ...packageFiles], {
      cwd: join(root, packageDir),
      stdio: "inherit",
      env: { ...process.env, FAST_CHECK_FUZZ: "1" },
    });
    if (run.status !== 0) failed += 1;
  }
  console.log(
    failed === 0
      ? "\nproperty tests passed with random seeds"
      : `\n${failed} package(s) failed: replay with FAST_CHECK_SEED=<the seed printed above the failure>`,
  );
  process.exit(failed === 0 ? 0 : 1);
} else {
  for (const file of files) console.log(file);
}
