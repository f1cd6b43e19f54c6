import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeDirectory } from "./make-directory.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "flash-call-make-directory-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("makeDirectory", () => {
  it("creates the directory and its missing parents with the mode", async () => {
    const directory = join(base, "a", "b", "c");
    await makeDirectory(directory, 0o700);
    for (const path of [join(base, "a"), join(base, "a", "b"), directory]) {
      const stats = await stat(path);
      expect(stats.isDirectory()).toBe(true);
      expect(stats.mode & 0o777).toBe(0o700 & ~process.umask());
    }
  });

  it("leaves an existing directory as it is", async () => {
    await makeDirectory(base, 0o700);
    await makeDirectory(join(base, "x"), 0o700);
    await makeDirectory(join(base, "x"), 0o700);
    expect(existsSync(join(base, "x"))).toBe(true);
  });

  it("fails when a parent is a file", async () => {
    await writeFile(join(base, "file"), "");
    await expect(makeDirectory(join(base, "file", "spool"), 0o700)).rejects.toMatchObject({
      code: "ENOTDIR",
    });
  });

  // /proc answers ENOENT to mkdir under a parent that exists: Node's recursive mkdir loops there for ever.
  it.runIf(process.platform === "linux")(
    "fails instead of looping where mkdir says ENOENT under an existing parent",
    async () => {
      await expect(makeDirectory("/proc/flash-call-spool/deeper", 0o700)).rejects.toMatchObject({
        code: "ENOENT",
      });
    },
  );
});
