import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "./deploy-command.js";

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
});
