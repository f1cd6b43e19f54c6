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
    // The `flash-call` command, built for start-up (it runs once per alert): bin.cjs turns on the compile cache and
    // requires run-process.cjs, one file holding every command with the workspace packages bundled in from source,
    // so a run reads two files and resolves no package. CommonJS, because Node starts a CommonJS entry faster than
    // an ES module one. esbuild wraps each module in code evaluated on first use, with its built-in `require`s inside:
    // a push never evaluates the other commands or loads their built-ins. undici (proxy only), @redis/client
    // (--redis only) and msw stay external, loaded by `import()` when used.
    entry: { bin: "src/bin.ts", "run-process": "src/run-process.ts" },
    format: ["cjs"],
    splitting: false,
    clean: false,
    sourcemap: false,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
    noExternal: [/^flash-call$/, /^@flash-call\//],
    external: ["undici", "@redis/client", "msw", /^msw\//],
    esbuildOptions(options) {
      options.conditions = ["flash-call-source"];
      // bin.cjs runs run-process.cjs as a script with its code cache (see runBundle), where `import()` needs an
      // experimental flag: undici and @redis/client, both CommonJS, are required instead.
      options.supported = { ...options.supported, "dynamic-import": false };
    },
  },
]);
