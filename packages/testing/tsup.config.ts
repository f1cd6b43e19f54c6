import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.shared.js";

export default defineConfig(
  libraryBuild(["src/index.ts", "src/server.ts"], {
    // Keep "node:http" as written: Deno and Bun resolve builtins only by that name.
    removeNodeProtocol: false,
    external: [/^node:/],
    // The CommonJS build needs import.meta.url too: msw is loaded through createRequire(import.meta.url).
    shims: true,
  }),
);
