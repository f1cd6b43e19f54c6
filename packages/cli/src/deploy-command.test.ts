import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runCommand } from "./deploy-command.js";

/** Set by a test: the next child's kill fails as Node reports a refused kill(2), with an `error` event. */
const refuseKill = vi.hoisted(() => ({ next: false }));

vi.mock("node:child_process", async (original) => {
  const actual = await original<typeof import("node:child_process")>();
  return {
    ...actual,
    spawn: (...args: Parameters<typeof actual.spawn>) => {
      const child = actual.spawn(...args);
      if (refuseKill.next) {
        refuseKill.next = false;
        // As Node does when kill(2) answers EPERM (a command that made itself root): an error event, no signal.
        // The command then ends later by other means (here at once, by SIGKILL): that end is what is waited for.
        child.kill = () => {
          child.emit("error", Object.assign(new Error("kill EPERM"), { code: "EPERM", syscall: "kill" }));
          process.kill(child.pid as number, "SIGKILL");
          return false;
        };
      }
      return child;
    },
  };
});

describe("runCommand", () => {
  it("ends a command that is not found with 127, and one found but not executable with 126, as a shell does", async () => {
    const directory = await mkdtemp(join(tmpdir(), "flash-call-deploy-"));
    const script = join(directory, "deploy.sh");
    await writeFile(script, "#!/bin/sh\nexit 0\n", { mode: 0o644 });
    expect(await runCommand([join(directory, "missing")], undefined)).toMatchObject({
      status: 127,
      notStarted: true,
    });
    expect(await runCommand([directory], undefined)).toMatchObject({ status: 126, notStarted: true });
    expect(await runCommand([script], undefined)).toMatchObject({ status: 126, notStarted: true });
    expect((await runCommand([process.execPath, "-e", "process.exit(3)"], undefined)).status).toBe(3);
  });

  it("a stop signal that cannot be passed on is warned of, and the command, which did start, is waited for", async () => {
    const stop = new AbortController();
    const warnings: string[] = [];
    refuseKill.next = true;
    const running = runCommand(
      [process.execPath, "-e", "setInterval(() => {}, 1000)"],
      stop.signal,
      (message) => {
        warnings.push(message);
      },
    );
    stop.abort("SIGTERM");
    const end = await running;
    expect(end).toMatchObject({ status: 128 + 9, summary: expect.stringContaining("ended by SIGKILL") });
    expect(end.notStarted).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/could not pass the stop signal on to .* \(EPERM\)/)]);
  });
});
