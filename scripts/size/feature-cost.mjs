import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { gzippedSize, MEASURE_OPTIONS } from "./bundles.mjs";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The change preparer's stub: rows that remove the shared checks or the change path remove it too. */
const PREPARE_CHANGE_STUB = {
  file: "packages/flash-call/src/prepare-change.ts",
  stub: "export function prepareChange(event) { return { event, truncations: [] }; }",
};

/**
 * What each SDK feature adds to the SDK's min+gzip bundle: the bundle is built from sources once whole, then once per
 * feature with that feature's module replaced by a do-nothing stub of the same exports; the difference is the
 * feature's marginal cost. It answers "what would the 7 kB target cost us", so that a product decision can be made on
 * numbers. A row's `more` stubs further modules with it. A stub whose file is gone fails the run, so the table cannot
 * silently go stale.
 */
export const FEATURES = [
  {
    feature: "validation and Flashduty's truncation",
    file: "packages/flash-call/src/prepare-event.ts",
    stub: "export function prepareEvent(event) { return { event, truncations: [] }; }",
    // The checks are shared with change events: both preparers go, so that the shared checks go with them.
    more: [PREPARE_CHANGE_STUB],
  },
  {
    feature: "change events (change, startChange, pushChange)",
    file: "packages/flash-call/src/change-handle.ts",
    stub: "export function createChangeMethods() { return {}; }",
    more: [PREPARE_CHANGE_STUB],
  },
  {
    feature: "per-key rate pacing",
    file: "packages/flash-call/src/rate-limiter.ts",
    stub: "export class RateLimiter { acquire() { return Promise.resolve(() => {}); } pause() {} }",
  },
  {
    feature: "bulk queue (enqueue, flush)",
    file: "packages/flash-call/src/delivery-queue.ts",
    stub: "export class DeliveryQueue { get size() { return 0; } add(key, run) { return run(); } async flush() { return { delivered: 0, failed: 0 }; } }",
  },
  {
    feature: "option checks (ConfigError at creation)",
    file: "packages/flash-call/src/check-options.ts",
    stub: "export function checkOptions() {} export function checkCallOptions() {} export function checkRateLimitWindows() {}",
  },
  {
    feature: "hints in error messages",
    file: "packages/errors/src/error-codes.ts",
    transform: (source) =>
      source.replace(/hint:\s*(`[^`]*`|"[^"]*")/g, 'hint: ""').replace(/(return|:)\s*"[^"]{25,}"/g, '$1 ""'),
  },
  {
    feature: "redacting bodies and causes",
    file: "packages/errors/src/sanitize.ts",
    stub: "export function sanitize(value) { return value; }",
  },
  {
    feature: "describing non-JSON error bodies",
    file: "packages/errors/src/read-error-body.ts",
    stub: "export function readErrorBody(body) { return { value: body, code: body?.error?.code, message: body?.error?.message, requestId: body?.request_id }; }",
  },
];

/** The SDK bundle's min+gzip bytes with the modules of `replaced` (rows of FEATURES) stubbed out. */
async function gzippedSdk(replaced = []) {
  const plugins = [
    {
      name: "stub-features",
      setup(builder) {
        builder.onLoad({ filter: /\.ts$/ }, (args) => {
          const modules = replaced.flatMap((row) => [row, ...(row.more ?? [])]);
          const feature = modules.find((candidate) => args.path === `${ROOT}/${candidate.file}`);
          if (feature === undefined) return undefined;
          const contents = feature.stub ?? feature.transform(readFileSync(args.path, "utf8"));
          return { contents, loader: "ts" };
        });
      },
    },
  ];
  const result = await build({
    ...MEASURE_OPTIONS,
    entryPoints: [`${ROOT}/packages/flash-call/src/index.ts`],
    conditions: ["flash-call-source"],
    plugins,
  });
  return gzippedSize(result.outputFiles[0].contents);
}

/**
 * Measures every row of {@link FEATURES}.
 * @returns {Promise<{ whole: number; withoutAll: number; rows: Array<{ feature: string; bytes: number }> }>}
 *   min+gzip bytes: the whole SDK, the SDK with every feature stubbed at once, and each feature's own cost
 * @example const { whole, withoutAll, rows } = await measureFeatureCosts();
 */
export async function measureFeatureCosts() {
  const whole = await gzippedSdk();
  const rows = [];
  for (const feature of FEATURES) {
    // Fails loudly when a stubbed file moved.
    for (const module of [feature, ...(feature.more ?? [])]) readFileSync(`${ROOT}/${module.file}`);
    rows.push({ feature: feature.feature, bytes: whole - (await gzippedSdk([feature])) });
  }
  return { whole, withoutAll: await gzippedSdk(FEATURES), rows };
}
