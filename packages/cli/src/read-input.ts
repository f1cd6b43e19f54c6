import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { readBounded } from "./read-bounded.js";
import { readFifo } from "./read-fifo.js";
import { UsageError } from "./usage-error.js";

/**
 * The most `--file` input read, in bytes (64 MiB: hundreds of thousands of events). An endless or huge input
 * (`/dev/zero`, a runaway pipe) is refused once it passes this, instead of filling memory until V8 gives up.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** How much is read from a file at a time. */
const READ_CHUNK_BYTES = 1024 * 1024;

function tooLarge(name: string): UsageError {
  return new UsageError(
    `${name} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; split it into smaller batches (nothing was sent)`,
    "push",
  );
}

/** The 1-based number of the first line of `bytes` that is not UTF-8 (the input as a whole is not). */
function firstLineNotUtf8(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) return line;
    if (end === -1) return line;
    start = end + 1;
    line += 1;
  }
}

/**
 * The input as text: UTF-8 only. Decoding anything else would replace each invalid byte with U+FFFD and send
 * text the user never wrote (a file saved as GBK or Latin-1), so it is refused, naming the first bad line.
 */
function decode(bytes: Buffer, name: string): string {
  if (!isUtf8(bytes)) {
    throw new UsageError(
      `${name} is not UTF-8 text: line ${firstLineNotUtf8(bytes)} has bytes that are not UTF-8; save it as UTF-8 (nothing was sent)`,
      "push",
    );
  }
  return bytes.toString("utf8");
}

/** At most {@link MAX_INPUT_BYTES} of a file, read until its end whatever its size says (a device has none). */
async function readFileBounded(file: string, name: string): Promise<Buffer> {
  // Linux only: its epoll reports nothing on a FIFO until a writer comes, so a non-blocking read waits for one;
  // elsewhere (kqueue) a FIFO without a writer may read as empty at once, and the ordinary read below is kept.
  if (process.platform === "linux" && (await stat(file)).isFIFO()) {
    return readFifo(file, MAX_INPUT_BYTES, () => tooLarge(name));
  }
  return readBounded(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), MAX_INPUT_BYTES, () =>
    tooLarge(name),
  );
}

/**
 * Reads `--file` input as UTF-8: a path, or `-` for stdin; at most {@link MAX_INPUT_BYTES}, and only UTF-8
 * (anything else is a usage error, exit 2, before anything is sent).
 *
 * @example
 * const text = await readInput("events.ndjson", process.stdin);
 */
export async function readInput(file: string, stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  if (file === "-") {
    const name = "the input on stdin";
    return decode(await readBounded(stdin, MAX_INPUT_BYTES, () => tooLarge(name)), name);
  }
  const name = `--file ${JSON.stringify(file)}`;
  let bytes: Buffer;
  try {
    bytes = await readFileBounded(file, name);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason =
      (error as { code?: unknown })?.code === "ENOENT" ? "no such file" : String((error as Error)?.message);
    throw new UsageError(`cannot read ${name}: ${reason}`, "push");
  }
  return decode(bytes, name);
}
