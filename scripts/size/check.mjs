// `pnpm size`: bundle-size budgets, which fail the run (unlike the timing budgets of `pnpm bench`).
// Usage: node scripts/size/check.mjs [--install]   (--install also reports the CLI's install size; needs npm)

import { formatTable } from "../bench/stats.mjs";
import { BUNDLES, formatKilobytes, formatSizeTable, measureBundles } from "./bundles.mjs";
import { measureFeatureCosts } from "./feature-cost.mjs";
import { measureCliInstall } from "./install-size.mjs";

const rows = await measureBundles();
console.log("Bundle size (esbuild, minified ESM, gzip -9; 1 kB = 1000 bytes)\n");
console.log(formatSizeTable(rows));

const missed = rows.filter((row) => row.met === false);
if (missed.length > 0) {
  console.log(`\ntargets missed (reported, not failing): ${missed.map((row) => row.name).join(", ")}`);
}

for (const row of rows.filter((candidate) => candidate.budget !== undefined && candidate.contributions)) {
  console.log(`\n${row.name}: minified bytes by input`);
  for (const entry of row.contributions)
    console.log(`  ${String(entry.minified).padStart(7)}  ${entry.input}`);
}

const costs = await measureFeatureCosts();
console.log(
  `\nWhat each SDK feature adds (its module stubbed out; whole SDK from sources ${formatKilobytes(costs.whole)}):`,
);
console.log(
  formatTable(
    ["feature", "min+gzip"],
    costs.rows.map((row) => [row.feature, formatKilobytes(row.bytes)]),
  ),
);
console.log(`the SDK with all of them stubbed at once: ${formatKilobytes(costs.withoutAll)}`);

if (process.argv.includes("--install")) {
  const install = measureCliInstall();
  console.log(
    `\n@flash-call/cli install: ${formatKilobytes(install.total.bytes)} in ${install.total.files} files ` +
      `(tarball ${formatKilobytes(install.tarballBytes)})`,
  );
}

const failed = rows.filter((row) => !row.pass);
const budgeted = BUNDLES.filter((bundle) => bundle.ceiling !== undefined).length;
if (failed.length > 0) {
  console.error(`\nsize budget exceeded or not measurable: ${failed.map((row) => row.name).join(", ")}`);
  process.exitCode = 1;
}
console.log(`\n${budgeted - failed.length} passed, ${failed.length} failed`);
