import { mkdir, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { writeDurably, writeDurablySync, writeUnsyncedSync } from "./durable-write.js";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "flash-call-durable-"));
});

describe("writing through a temp file", () => {
  it("writes the whole text under its final name, leaving no temp file", async () => {
    await writeDurably(directory, "a.json", "a.json", "one\n");
    writeDurablySync(directory, "b.json", "b.json", "two\n");
    writeUnsyncedSync(directory, "c.json", "c.json", "three\n");
    expect((await readdir(directory)).sort()).toEqual(["a.json", "b.json", "c.json"]);
    expect(await readFile(join(directory, "b.json"), "utf8")).toBe("two\n");
  });

  it("a write that fails part way deletes its temp file, asynchronously and synchronously", async () => {
    // The final name is taken by a directory: the rename fails after the text is written, as a full disk would
    // fail the write itself, and what was written must not stay behind holding space.
    await mkdir(join(directory, "taken.json"));
    await expect(
      writeDurably(directory, "taken.json", "taken.json", "x".repeat(10_000)),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/),
    });
    expect(() => writeDurablySync(directory, "taken.json", "taken.json", "y")).toThrow();
    expect(() => writeUnsyncedSync(directory, "taken.json", "taken.json", "z")).toThrow();
    expect(await readdir(directory)).toEqual(["taken.json"]);
  });
});
