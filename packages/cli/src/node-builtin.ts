/** `process.getBuiltinModule` (Node ≥ 20.16 and 22.3); older Nodes have none. */
const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;

/**
 * Loads a Node built-in module, for the CLI's start-up path: with `process.getBuiltinModule` where Node has it,
 * else with the module's `require` (CommonJS; the ES module build defines one with `createRequire`, see
 * tsup.config.ts). Neither loads `node:module`, which costs a start-up a third of a millisecond. An ESM `import` of
 * a built-in reads every one of its exports to build the module's namespace, and some exports are getters that
 * load more: in Node 22, `node:http`'s load undici (Node's fetch, the very cost the CLI's transport avoids),
 * `node:util`'s load the diff and colour helpers, and `node:crypto`'s load Web Crypto. Both ways here read only
 * what the caller uses. Returns `undefined` for a name that is no built-in where `getBuiltinModule` exists.
 *
 * @example
 * ```ts
 * const { parseArgs } = builtin("node:util") as typeof import("node:util");
 * ```
 */
export const builtin: (id: string) => unknown =
  getBuiltinModule === undefined ? (id) => require(id) : (id) => getBuiltinModule(id);
