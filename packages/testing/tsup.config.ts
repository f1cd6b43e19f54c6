import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/server.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  // Keep "node:http" as written: Deno and Bun resolve builtins only by that name.
  removeNodeProtocol: false,
  external: [/^node:/],
});
