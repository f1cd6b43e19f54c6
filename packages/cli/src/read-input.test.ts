import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES, readInput } from "./read-input.js";
import { UsageError } from "./usage-error.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "flash-call-read-input-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const noStdin: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

describe("readInput", () => {
  it("reads a file whole, multi-byte text and a BOM kept as they are", async () => {
    const file = join(directory, "events.ndjson");
    const text = '\ufeff{"title_rule":"磁盘 92%","event_status":"Info"}\r\n{"title_rule":"é"}\n';
    await writeFile(file, text);
    await expect(readInput(file, noStdin)).resolves.toBe(text);
  });

  it("refuses a file larger than the limit instead of reading all of it", async () => {
    const file = join(directory, "huge.ndjson");
    // A sparse file: no disk space, but every byte of it reads as a zero.
    const handle = await open(file, "w");
    await handle.truncate(MAX_INPUT_BYTES + 1);
    await handle.close();
    const reading = readInput(file, noStdin);
    await expect(reading).rejects.toBeInstanceOf(UsageError);
    await expect(reading).rejects.toThrow(/larger than 64 MiB/);
  });

  it("stops reading an endless stdin once it passes the limit", async () => {
    let given = 0;
    const endless: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        const chunk = new Uint8Array(1024 * 1024);
        for (;;) {
          given += chunk.length;
          yield chunk;
        }
      },
    };
    await expect(readInput("-", endless)).rejects.toThrow(/stdin is larger than 64 MiB/);
    expect(given).toBeLessThanOrEqual(MAX_INPUT_BYTES + 1024 * 1024);
  });

  it("refuses input that is not UTF-8, naming the first line that is not, instead of altering it", async () => {
    const file = join(directory, "latin1.ndjson");
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from('{"title_rule":"ok","event_status":"Info"}\n{"title_rule":"caf'),
        Buffer.from([0xe9]),
        Buffer.from('","event_status":"Info"}\n'),
      ]),
    );
    const reading = readInput(file, noStdin);
    await expect(reading).rejects.toBeInstanceOf(UsageError);
    await expect(reading).rejects.toThrow(/is not UTF-8 text: line 2 /);
    const stdin: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        yield Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
      },
    };
    await expect(readInput("-", stdin)).rejects.toThrow(/stdin is not UTF-8 text: line 1 /);
  });

  it("says which file could not be read", async () => {
    await expect(readInput(join(directory, "missing"), noStdin)).rejects.toThrow(/no such file/);
    await expect(readInput(directory, noStdin)).rejects.toThrow(/cannot read --file .*EISDIR/);
  });
});
