import { rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

// The builds share dist/, so none may clean it while another writes: clean once, up front.
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });

const commandBuild = {
  format: ["cjs"],
  splitting: false,
  clean: false,
  sourcemap: false,
  minify: true,
  target: "node20",
  platform: "node",
  noExternal: [/^flash-call$/, /^@flash-call\//],
  external: ["undici", "@redis/client", "msw", /^msw\//],
  esbuildOptions(options) {
    options.conditions = ["flash-call-source"];
    options.supported = { ...options.supported, "dynamic-import": false };
  },
} satisfies Options;

export default defineConfig([
  {
    // Programmatic use: the CLI's pieces (parsers, OCP mapping, spool) for other tools.
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    // The ES module build gets the `require` a CommonJS module has: node-builtin.ts loads built-ins with it where
    // Node has no `process.getBuiltinModule` (before 20.16 and 22.3).
    banner: ({ format }) =>
      format === "esm"
        ? {
            js: 'import { createRequire as createRequireForEsm } from "node:module";\nconst require = createRequireForEsm(import.meta.url);',
          }
        : {},
    dts: true,
    splitting: false,
    clean: false,
    sourcemap: true,
    target: "es2022",
    platform: "node",
  },
  {
    // The `flash-call` command, built for start-up (it runs once per alert): bin.cjs (`#!`, tiny) chooses the
    // cache folder and runs run-process.cjs with the compiled code of the previous run (see runBundle):
    // one file holding every command with the workspace packages bundled in from source, so a run reads two files
    // and resolves no package. CommonJS, because Node starts a CommonJS entry faster than an ES module one. esbuild
    // wraps each module in code evaluated on first use, with its built-in `require`s inside: a push never evaluates
    // the other commands or loads their built-ins. undici (proxy only) and @redis/client (--redis only) stay
    // external, required when used (a script run with a code cache has no `import()` without an experimental
    // flag; both are CommonJS).
    entry: { "run-process": "src/run-process.ts", "push-process": "src/push-process.ts" },
    ...commandBuild,
  },
  {
    entry: { bin: "src/bin.ts" },
    ...commandBuild,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
