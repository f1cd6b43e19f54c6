import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { formatTable } from "../bench/stats.mjs";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * What is measured: each public package's built ESM entry, bundled and minified the way an app's bundler would
 * (browser platform, `import` condition), with its dependencies inlined except the ones listed in `external`
 * (workspace siblings that are measured on their own row, and Node built-ins / optional peers).
 * Sizes are bytes of min+gzip, with 1 kB = 1000 bytes. `budget` is the product's target, reported as met
 * or missed; `ceiling` is what fails CI: the target where it is met, otherwise a regression ceiling just above
 * today's size, so that a missed target is visible in every run and can only get better. Rows without either are
 * reported only.
 */
export const BUNDLES = [
  {
    name: "@flash-call/core",
    entry: "packages/core/dist/index.js",
    scope: "with openapi-fetch",
    external: [],
    budget: 3000,
    ceiling: 3000,
  },
  {
    name: "@flash-call/core: createClient only",
    code: 'export { createClient } from "./packages/core/dist/index.js";',
    entry: "packages/core/dist/index.js",
    scope: "tree-shaken, one import",
    external: [],
    budget: 3000,
    ceiling: 3000,
  },
  {
    name: "flash-call (SDK)",
    entry: "packages/flash-call/dist/index.js",
    scope: "with core, errors, keys (no openapi-fetch: the SDK sends with fetch)",
    external: [],
    budget: 7000,
    // A regression ceiling just above today's size, not a target: the SDK runs on servers and workers, and the
    // untrusted-input rules (redacting every piece of a key in every encoding, bounded reads, guarded reads of
    // caller values) cost about 4 kB, and pacing through a shared store and finding telemetry about 1 kB (the
    // OpenTelemetry code itself is the separate flash-call/telemetry entry), and a queue that stays flat at any
    // length plus the per-push target cache about 0.6 kB, change events about 1 kB, and the per-push CPU work (the
    // rolling-hash filter in front of redaction, one scan of an answer for both piece tables, a clean answer
    // returned as parsed, Content-Length-bounded reads) about 0.8 kB, and a push that allocates less (validation
    // without closures or a snapshot per event, delivery without hook payload builders when there are no hooks)
    // with a key registration and push URL parse cheap enough for the CLI's start-up, about 0.5 kB, and reading a
    // key wherever a server may echo it (its letters in any case, every byte escaped, escapes nested) about 1.5 kB,
    // and holding hostile callers to the contract (a custom fetch ignoring its abort, options and labels read as
    // checked) about 0.4 kB, and a resolve refusing another status and a warning for plain http to another machine
    // about 0.4 kB, and a custom fetch's body cancelled at a timeout and labels of other built-in kinds named
    // about 0.15 kB, and losing no event to a rotated key about 0.2 kB, and answering plain JavaScript's anything
    // with a typed error (a signal-like object followed by the SDK's own, helpers refusing non-strings, a pacer's
    // release guarded, RateLimiter's windows checked) about 0.75 kB, and refusing a push URL whose credentials,
    // fragment or repeated parameter would be dropped about 0.35 kB, and a change's validation naming a change, a
    // key written into a base URL masked where the URL is shown about 0.15 kB, and helpers naming the argument they
    // cannot read, a failing pacer said as one, a custom fetch's chunked body ended at an abort and attempts sent
    // with OpenTelemetry's tracing suppressed about 0.8 kB, and one table of the codes the SDK gives its own
    // failures, each with a hint (a full queue and a closed instance had none), and the retry defaults exported,
    // about 0.2 kB, and a key written into an event masked before it is sent or spooled (one scan of the event's
    // texts, the masked paths and their warnings) about 0.4 kB, and an answer cut short part way through its body
    // said as one about 0.07 kB, and push and base URLs read in linear time and refused over 4096 characters about
    // 0.1 kB, and the texts of recent events found clean remembered (with the registry's state token) about 0.2 kB,
    // and a base URL holding a key refused, naming the setting it came from, about 0.2 kB, and a tab or line break
    // inside a push or base URL refused (URL parsing dropped it silently, sending another key) about 0.13 kB, and
    // an abort saying whether an attempt had been sent (so whether Flashduty may have the push) about 0.05 kB, and
    // the base URL checked against its own key alone, in every case and percent-encoded (checked against every
    // registered secret, a DSN registered elsewhere refused every https URL), and a push URL given as a key refused,
    // saying where it goes, with only its query values registered, about 0.27 kB, and an answer with no valid HTTP
    // status a network failure and an unread body released however a custom fetch gave it about 0.06 kB, and the
    // keys of both integrations the environment names registered whichever one a push uses about 0.07 kB, and the
    // contract's logs and errors (retry and delivery lines naming each attempt's status, request_id and duration, a
    // network error's cause kept, the RouteNotFound hint naming the change path too) about 0.1 kB, and a key
    // echoed in base64 or URL-safe base64 masked (its base64 forms registered with its other forms) about 0.13 kB,
    // and an option the SDK does not know refused, named with the options listed, about 0.12 kB.
    // Each step is in docs/performance-log.md.
    ceiling: 28200,
  },
  {
    name: "@flash-call/core/constants",
    entry: "packages/core/dist/constants.js",
    scope: "limits, enums, path",
    external: [],
  },
  {
    name: "flash-call: createFlashCall only",
    code: 'export { createFlashCall } from "./packages/flash-call/dist/index.js";',
    entry: "packages/flash-call/dist/index.js",
    scope: "tree-shaken, one import",
    external: [],
  },
  {
    name: "@flash-call/errors",
    entry: "packages/errors/dist/index.js",
    scope: "core external",
    external: ["@flash-call/core"],
  },
  {
    name: "@flash-call/keys",
    entry: "packages/keys/dist/index.js",
    scope: "errors, core external",
    external: ["@flash-call/core", "@flash-call/errors"],
  },
  {
    name: "@flash-call/testing/server",
    entry: "packages/testing/dist/server.js",
    scope: "core, node:* external",
    external: ["@flash-call/core", "node:*"],
  },
  {
    name: "@flash-call/testing",
    entry: "packages/testing/dist/index.js",
    scope: "core, msw, node:* external",
    external: ["@flash-call/core", "msw", "msw/*", "node:*"],
  },
];

/**
 * How every size is measured: bundled and minified the way an app's bundler would (browser platform, ESM), no
 * legal comments. Shared by the budget table and the feature costs, so that both measure the same thing.
 */
export const MEASURE_OPTIONS = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "silent",
  legalComments: "none",
};

/** min+gzip bytes of esbuild output, gzip level 9. */
export const gzippedSize = (code) => gzipSync(code, { level: 9 }).length;

/**
 * Bundles, minifies and gzips every entry of {@link BUNDLES}.
 * @returns {Promise<Array<{ name: string; scope: string; budget?: number; minified?: number; gzipped?: number;
 *   pass?: boolean; missing?: string; contributions?: Array<{ input: string; minified: number }> }>>} sizes in
 *   bytes (`contributions`: each input file's share of the minified output); `missing` when not built
 * @example for (const row of await measureBundles()) console.log(row.name, row.gzipped);
 */
export async function measureBundles() {
  const rows = [];
  for (const bundle of BUNDLES) {
    const base = { name: bundle.name, scope: bundle.scope, budget: bundle.budget, ceiling: bundle.ceiling };
    if (!existsSync(`${ROOT}/${bundle.entry}`)) {
      rows.push({ ...base, missing: `${bundle.entry} not built`, pass: bundle.ceiling === undefined });
      continue;
    }
    const result = await build({
      ...(bundle.code === undefined
        ? { entryPoints: [`${ROOT}/${bundle.entry}`] }
        : { stdin: { contents: bundle.code, resolveDir: ROOT, loader: "js" } }),
      ...MEASURE_OPTIONS,
      external: bundle.external,
      metafile: true,
    });
    const code = result.outputFiles[0].contents;
    const gzipped = gzippedSize(code);
    const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
    const contributions = Object.entries(inputs)
      .map(([input, info]) => ({
        input: input.replace(/^.*node_modules\//, ""),
        minified: info.bytesInOutput,
      }))
      .filter((entry) => entry.minified > 0)
      .sort((left, right) => right.minified - left.minified);
    rows.push({
      ...base,
      minified: code.length,
      gzipped,
      pass: bundle.ceiling === undefined || gzipped <= bundle.ceiling,
      met: bundle.budget === undefined ? undefined : gzipped <= bundle.budget,
      contributions,
    });
  }
  return rows;
}

/**
 * Bytes as "1.23 kB" (1 kB = 1000 bytes, as the budgets are written).
 * @param {number} bytes
 * @example formatKilobytes(2950) // "2.95 kB"
 */
export function formatKilobytes(bytes) {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

/** The size table `pnpm size` and `pnpm bench` print: each row's size, its target (met or missed) and CI ceiling. */
export function formatSizeTable(rows) {
  return formatTable(
    ["package", "bundled", "min", "min+gzip", "target", "target met", "CI ceiling", "result"],
    rows.map((row) => [
      row.name,
      row.scope,
      row.missing ?? formatKilobytes(row.minified),
      row.missing === undefined ? formatKilobytes(row.gzipped) : "-",
      row.budget === undefined ? "-" : `≤ ${formatKilobytes(row.budget)}`,
      row.met === undefined ? "-" : row.met ? "yes" : "MISSED",
      row.ceiling === undefined ? "-" : `≤ ${formatKilobytes(row.ceiling)}`,
      row.ceiling === undefined ? "report" : row.pass ? "PASS" : "FAIL",
    ]),
  );
}
