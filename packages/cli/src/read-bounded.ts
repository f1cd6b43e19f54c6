/**
 * Every chunk of `source` as one buffer, refused with `tooLarge()` once they pass `limit` bytes. The one bounded
 * read of `--file` input, whatever gives it: stdin, a file's stream, a FIFO's socket. Leaving the loop early (too
 * large, or the source failing) ends the source: a stream or socket is destroyed, and its descriptor closed.
 *
 * @example
 * const bytes = await readBounded(createReadStream(path), MAX_INPUT_BYTES, () => new UsageError("too large"));
 */
export async function readBounded(
  source: AsyncIterable<string | Uint8Array>,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    total += bytes.length;
    if (total > limit) throw tooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}
