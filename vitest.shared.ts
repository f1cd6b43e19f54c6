import { defineConfig } from "vitest/config";

/** Shared test settings: workspace packages resolve to their TypeScript sources, so tests need no build. */
export default defineConfig({
  resolve: { conditions: ["flash-call-source"] },
  ssr: { resolve: { conditions: ["flash-call-source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: { include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
