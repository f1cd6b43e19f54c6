/** What a body queue pauses, resumes and, when the reader leaves early, destroys: a socket or an IncomingMessage. */
export interface PausableSource {
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
}

/** A body read as it arrives, for a transport to feed and the SDK to iterate. */
export interface BodyQueue {
  /**
   * What the reader iterates: the pieces in order, those that came while none was read joined into one; rejects
   * with the failure; `return` destroys the source.
   */
  readonly iterator: AsyncIterator<Uint8Array>;
  /** A piece of the body: the source is paused until the reader takes it. */
  push(piece: Uint8Array): void;
  /** The body ended. */
  end(): void;
  /** The body failed: the next read rejects with `error` (the first failure is kept). */
  fail(error: unknown): void;
  /** Whether the body ended or failed. */
  readonly finished: boolean;
}

/**
 * The body of an answer, read with events instead of Node's stream iterator (whose first use costs a push about
 * 2 ms): at most what one read of the source brought waits to be taken (the source is paused until it is), handed
 * over as one piece, so a reader that stops at its limit never holds more than one piece beyond it; a failure
 * rejects the next read; leaving a loop early destroys the source.
 *
 * @param failure a failure known before the read began (a message destroyed by an abort) @default none
 * @example
 * ```ts
 * const queue = bodyQueue(socket);
 * socket.on("data", (bytes) => queue.push(bytes));
 * for await (const piece of { [Symbol.asyncIterator]: () => queue.iterator }) handle(piece);
 * ```
 */
export function bodyQueue(source: PausableSource, failure?: { error: unknown }): BodyQueue {
  const waiting: Uint8Array[] = [];
  let ended = false;
  let failed = failure;
  let wake: (() => void) | undefined;
  const notify = () => {
    const woken = wake;
    wake = undefined;
    woken?.();
  };
  return {
    iterator: {
      async next(): Promise<IteratorResult<Uint8Array>> {
        for (;;) {
          // Every piece waiting taken as one: a source that hands over a body in thousands of tiny pieces at once
          // (a chunked body of one-byte chunks) would otherwise cost the reader a promise and a decode per piece.
          if (waiting.length > 1) return { done: false, value: Buffer.concat(waiting.splice(0)) };
          const piece = waiting.shift();
          if (piece !== undefined) return { done: false, value: piece };
          if (ended) return { done: true, value: undefined };
          if (failed !== undefined) throw failed.error;
          source.resume();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        source.destroy();
        return { done: true, value: undefined };
      },
    },
    push(piece) {
      if (piece.length === 0) return;
      waiting.push(piece);
      source.pause();
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error) {
      failed ??= { error };
      notify();
    },
    get finished() {
      return ended || failed !== undefined;
    },
  };
}
