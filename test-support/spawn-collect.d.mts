import type { SpawnOptions } from "node:child_process";

/** What a child wrote and how it ended; `status` is `null` when a signal ended it. */
export interface Collected {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` to its end and collects its stdout and stderr (see spawn-collect.mjs); resolves whatever the exit
 * code, rejects only when the child cannot be started. Default options: stdin ignored, stdout and stderr collected.
 *
 * @example
 * const { status, stdout } = await spawnCollect(process.execPath, [cliBin, "--version"]);
 */
export function spawnCollect(
  command: string,
  args: readonly string[],
  options?: SpawnOptions,
): Promise<Collected>;
