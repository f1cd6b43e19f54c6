import { rmSync } from "node:fs";
import { defineConfig } from "tsup";

// Two builds share dist/, so neither may clean it while the other writes: clean once, up front.
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });

export default defineConfig([
  {
    // Programmatic use: the CLI's pieces (parsers, OCP mapping, spool) for other tools.
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    splitting: false,
    clean: false,
    sourcemap: true,
    target: "es2022",
    platform: "node",
  },
  {
    // The `flash-call` command: one file plus lazily loaded chunks per command, with the workspace packages
    // bundled in from source so a run loads no other package (start-up time matters: it runs once per alert).
    // undici stays external: it is only imported when a proxy is configured.
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    splitting: true,
    clean: false,
    sourcemap: false,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
    noExternal: [/^flash-call$/, /^@flash-call\//],
    external: ["undici", "msw", /^msw\//],
    esbuildOptions(options) {
      options.conditions = ["flash-call-source"];
    },
  },
]);
