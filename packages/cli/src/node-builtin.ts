import { createRequire } from "node:module";

/**
 * Loads a Node built-in module with `require`, for the CLI's start-up path. An ESM `import` of a built-in reads
 * every one of its exports to build the module's namespace, and some exports are getters that load more: in Node
 * 22, `node:http`'s load undici (Node's fetch, the very cost the CLI's transport avoids), `node:util`'s load the
 * diff and colour helpers, and `node:crypto`'s load Web Crypto. `require` reads only what the caller uses.
 *
 * @example
 * ```ts
 * const { parseArgs } = builtin("node:util") as typeof import("node:util");
 * ```
 */
export const builtin = createRequire(
  // The CommonJS build of the CLI's library has no import.meta, and __filename instead.
  typeof __filename === "string" ? __filename : import.meta.url,
);
