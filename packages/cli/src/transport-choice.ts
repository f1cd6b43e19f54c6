import type { Transport } from "./connection.js";

/** The Node options that load code before the bin: whatever they load may have replaced the global `fetch`. */
const PRELOAD_FLAGS = ["--import", "--require", "-r", "--loader", "--experimental-loader"];

// A word of the options, alone or with `=value`. Compared as strings: a regular expression with these five
// alternatives costs a tenth of a millisecond to compile, on every start.
const isPreload = (word: string) =>
  PRELOAD_FLAGS.some((flag) => word === flag || word.startsWith(`${flag}=`));

/**
 * The transport the bin sends with when no proxy is set: `"node-http"` (it starts several times faster than
 * Node's own fetch), unless the process preloads code (`--import`, `--require`, `--loader`, on the command line
 * or in `NODE_OPTIONS`): an APM agent, a test clock or a fetch polyfill may have replaced the global `fetch`, and
 * the CLI then sends with it, as it would without this transport.
 *
 * @param execArgv Node's own arguments, `process.execArgv`
 * @param nodeOptions `NODE_OPTIONS` @default none
 * @example
 * ```ts
 * transportForProcess(process.execArgv, process.env.NODE_OPTIONS); // "node-http" for a plain `flash-call push`
 * ```
 */
export function transportForProcess(execArgv: readonly string[], nodeOptions: string | undefined): Transport {
  return `${execArgv.join(" ")} ${nodeOptions ?? ""}`.split(/\s/).some(isPreload) ? "fetch" : "node-http";
}
