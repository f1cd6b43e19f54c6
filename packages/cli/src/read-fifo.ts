import { close, constants, open } from "node:fs";
import { builtin } from "./node-builtin.js";
import { readBounded } from "./read-bounded.js";

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
  // A bare descriptor, not a FileHandle: the socket closes the descriptor when it ends, and a FileHandle left
  // unclosed closes its number again when collected, an uncaught EBADF or another file's descriptor by then.
  const fd = await new Promise<number>((resolve, reject) => {
    open(path, constants.O_RDONLY | constants.O_NONBLOCK, (error, opened) =>
      error === null ? resolve(opened) : reject(error),
    );
  });
  const net = builtin("node:net") as typeof import("node:net");
  let socket: import("node:net").Socket;
  try {
    // The socket owns the descriptor from here: it closes it when it ends or is destroyed.
    socket = new net.Socket({ fd, readable: true, writable: false });
  } catch (error) {
    close(fd, () => {});
    throw error;
  }
  return readBounded(socket, limit, tooLarge);
}
