import { spawnCollect } from "../../test-support/spawn-collect.mjs";

/**
 * Runs a bench child to its end and returns the JSON of the last line it printed that starts with `{` or `[` (a
 * runtime may print notices before it); rejects with the exit code and the end of stderr when it failed or printed
 * no such line.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import("node:child_process").SpawnOptions} [options] passed to spawnCollect
 * @returns {Promise<any>}
 * @example const result = await childResult(process.execPath, ["scripts/bench/overhead-child.mjs", settings]);
 */
export async function childResult(command, args, options) {
  const { status, stdout, stderr } = await spawnCollect(command, args, options);
  const line = stdout
    .trim()
    .split("\n")
    .findLast((candidate) => candidate.startsWith("{") || candidate.startsWith("["));
  if (status === 0 && line !== undefined) return JSON.parse(line);
  throw new Error(`exit ${status}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`);
}
