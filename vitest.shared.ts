import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { NoSkipsInCi } from "./test-support/no-skips-in-ci.js";
import { isCi } from "./test-support/required-tool.js";

/** Shared test settings: workspace packages resolve to their TypeScript sources, so tests need no build. */
export default defineConfig({
  resolve: { conditions: ["flash-call-source"] },
  ssr: { resolve: { conditions: ["flash-call-source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: { include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // Every fast-check property gets this run's seed (test-support/fast-check.ts decides it).
    setupFiles: [fileURLToPath(new URL("./test-support/fast-check-setup.ts", import.meta.url))],
    // In CI a skipped test (a suite whose system tool is missing) fails the run.
    reporters: isCi() ? ["default", new NoSkipsInCi()] : ["default"],
    // `pnpm test:fuzz` runs every property ten times longer.
    testTimeout: process.env.FAST_CHECK_FUZZ === "1" ? 200_000 : 20_000,
    hookTimeout: 20_000,
  },
});
