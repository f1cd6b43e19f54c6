import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { builtin } from "./node-builtin.js";

/**
 * Reads a named pipe (FIFO) to its end, waiting for a writer, at most `limit` bytes (more rejects with
 * `tooLarge()`). A FIFO's ordinary open blocks until a writer comes, inside a thread of Node's pool that no stop
 * signal reaches and that `process.exit` waits for: `flash-call push --file FIFO` with no writer ignored SIGTERM
 * for ever. Opened non-blocking and read as a pipe socket, the wait is an event like any other, and a stop signal
 * ends it. Linux reports nothing on such a socket until a writer has come, so a writer that comes later is read
 * just as the blocking open would have.
 *
 * @example
 * const bytes = await readFifo("/run/events.fifo", MAX_INPUT_BYTES, () => new UsageError("too large"));
 */
export async function readFifo(path: string, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const net = builtin("node:net") as typeof import("node:net");
  // The socket owns the descriptor from here: it closes it when it ends or is destroyed.
  const socket = new net.Socket({ fd: handle.fd, readable: true, writable: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    socket.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        socket.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    socket.once("end", () => resolve(Buffer.concat(chunks, total)));
    socket.once("error", reject);
  });
}
