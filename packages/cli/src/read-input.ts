import { open } from "node:fs/promises";
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

function decode(bytes: Buffer): string {
  return bytes.toString("utf8");
}

async function readStdin(stdin: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    total += bytes.length;
    if (total > MAX_INPUT_BYTES) throw tooLarge("the input on stdin");
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** At most {@link MAX_INPUT_BYTES} of a file, read until its end whatever its size says (a device has none). */
async function readFileBounded(file: string, name: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge(name);
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads `--file` input as UTF-8: a path, or `-` for stdin; at most {@link MAX_INPUT_BYTES} (more is a usage
 * error, exit 2, before anything is sent).
 *
 * @example
 * const text = await readInput("events.ndjson", process.stdin);
 */
export async function readInput(file: string, stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  if (file === "-") return decode(await readStdin(stdin));
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
  return decode(bytes);
}
