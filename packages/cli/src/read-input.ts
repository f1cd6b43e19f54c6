import { readFile } from "node:fs/promises";
import { UsageError } from "./usage-error.js";

/**
 * Reads `--file` input as UTF-8: a path, or `-` for stdin.
 *
 * @example
 * const text = await readInput("events.ndjson", process.stdin);
 */
export async function readInput(file: string, stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin)
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as { code?: unknown })?.code === "ENOENT" ? "no such file" : String((error as Error)?.message);
    throw new UsageError(`cannot read --file ${JSON.stringify(file)}: ${reason}`, "push");
  }
}
