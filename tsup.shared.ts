import type { Options } from "tsup";

/**
 * The build every library package shares: ESM and CommonJS with types for both, for every runtime (platform
 * neutral, ES2022). Packages pass their entry points and any additions.
 */
export function libraryBuild(entry: string[], extra: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    ...extra,
  };
}
