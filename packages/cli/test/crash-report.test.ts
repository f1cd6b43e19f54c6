import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { baseEnv, runCli } from "./run-cli.js";

const KEY = "crashKEY0a1b2c3d4e5f6a7b8c9d";

/** A preload that fails the way a bug would: a throw in a callback, or a rejection nobody awaits. */
async function preload(how: "throw" | "reject"): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "flash-call-crash-")), "fail.cjs");
  const failure =
    how === "throw"
      ? 'setTimeout(() => { throw new Error("bug near " + url + "\\u001b[2J"); }, 0);'
      : 'setTimeout(() => { Promise.reject(new Error("bug near " + url)); }, 0);';
  await writeFile(
    file,
    `const url = "https://api.flashcat.cloud/event/push/alert/standard?integration_key=" + process.env.FLASHDUTY_INTEGRATION_KEY;\n${failure}\n`,
  );
  return file;
}

describe("an error nothing caught", () => {
  it.each(["throw", "reject"] as const)(
    "(%s) is said in one report with the key masked and controls escaped, exit 1, no stack trace",
    async (how) => {
      const run = await runCli(
        ["push", "-t", "t", "-s", "Info", "--dry-run"],
        baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, NODE_OPTIONS: `--require ${await preload(how)}` }),
      );
      // A dry run would have exited 0 at once: the failure came first, or the report says so.
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/^flash-call: Unexpected: bug near https:\/\/api\.flashcat\.cloud/);
      expect(run.stderr).toContain("hint: an error flash-call did not expect (please report it)");
      expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(run.stderr).not.toContain("\u001b");
      expect(leakedPieces(`${run.stdout}${run.stderr}`, [KEY])).toEqual([]);
    },
  );
});
