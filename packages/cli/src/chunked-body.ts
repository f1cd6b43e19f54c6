/** The most a chunk-size line (size and extensions) or the trailer section may take, in bytes. */
const MAX_LINE_BYTES = 4096;
const CR = 0x0d;
const LF = 0x0a;

const malformed = (what: string) => new Error(`malformed HTTP response: ${what}`);

function hexValue(unit: number): number {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit >= 0x61 && unit <= 0x66) return unit - 0x57;
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x37;
  return -1;
}

/** A decoder of a chunked body (RFC 9112 §7.1), fed the bytes as they come. */
export interface ChunkedBody {
  /**
   * Decodes `bytes`, calling `onData` with each piece of the body (views of `bytes`, not copies).
   * @returns whether the body ended (the last chunk and the trailers were read; bytes after it are ignored)
   * @throws Error "malformed HTTP response: …" on a size that is not hex, a missing CRLF or an overlong line
   */
  feed(bytes: Uint8Array, onData: (piece: Uint8Array) => void): boolean;
}

/**
 * Makes a decoder of one chunked body: a state machine over the bytes, each looked at once, holding no more than
 * the chunk it is in. Chunk extensions and trailer fields are skipped (the SDK reads neither), each line bounded.
 *
 * @example
 * ```ts
 * const body = chunkedBody();
 * body.feed(new TextEncoder().encode("2\r\nok\r\n0\r\n\r\n"), (piece) => pieces.push(piece)); // true
 * ```
 */
export function chunkedBody(): ChunkedBody {
  // size: hex digits; extension: to the line's end; data: `left` bytes; dataEnd: the CRLF after them;
  // trailer: lines up to an empty one; done.
  let state:
    | "size"
    | "extension"
    | "sizeEnd"
    | "data"
    | "dataCr"
    | "dataLf"
    | "trailer"
    | "trailerLf"
    | "done" = "size";
  let size = 0;
  let digits = 0;
  // Digits from the first that is not 0: leading zeros are allowed (RFC 9112's chunk-size is 1*HEXDIG), and
  // only the line's bound limits them.
  let significantDigits = 0;
  let left = 0;
  let lineBytes = 0;
  let trailerLineBytes = 0;
  return {
    feed(bytes, onData) {
      let at = 0;
      while (at < bytes.length && state !== "done") {
        if (state === "data") {
          const end = Math.min(bytes.length, at + left);
          onData(bytes.subarray(at, end));
          left -= end - at;
          at = end;
          if (left === 0) state = "dataCr";
          continue;
        }
        const unit = bytes[at] as number;
        at++;
        if (++lineBytes > MAX_LINE_BYTES) throw malformed("a chunk line or trailer over 4 KiB");
        if (state === "size") {
          const value = hexValue(unit);
          if (value >= 0) {
            digits++;
            // 13 hex digits: up to 2^52, still an exact number.
            if ((significantDigits > 0 || value > 0) && ++significantDigits > 13)
              throw malformed("a chunk size too large");
            size = size * 16 + value;
          } else if (digits === 0) {
            throw malformed("a chunk size that is not hex");
          } else if (unit === CR) {
            state = "sizeEnd";
          } else if (unit === 0x3b || unit === 0x20 || unit === 0x09) {
            state = "extension";
          } else {
            throw malformed("a chunk size that is not hex");
          }
        } else if (state === "extension") {
          if (unit === CR) state = "sizeEnd";
        } else if (state === "sizeEnd") {
          if (unit !== LF) throw malformed("a chunk size line without CRLF");
          lineBytes = 0;
          if (size === 0) {
            state = "trailer";
            trailerLineBytes = 0;
          } else {
            left = size;
            state = "data";
          }
          size = 0;
          digits = 0;
          significantDigits = 0;
        } else if (state === "dataCr") {
          if (unit !== CR) throw malformed("a chunk without CRLF after its data");
          state = "dataLf";
        } else if (state === "dataLf") {
          if (unit !== LF) throw malformed("a chunk without CRLF after its data");
          lineBytes = 0;
          state = "size";
        } else if (state === "trailer") {
          if (unit === CR) state = "trailerLf";
          else trailerLineBytes++;
        } else if (state === "trailerLf") {
          if (unit !== LF) throw malformed("a trailer line without CRLF");
          // An empty line ends the trailers and the body; `lineBytes` bounds the whole trailer section.
          state = trailerLineBytes === 0 ? "done" : "trailer";
          trailerLineBytes = 0;
        }
      }
      return state === "done";
    },
  };
}
