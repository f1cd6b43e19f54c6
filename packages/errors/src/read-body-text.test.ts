import { describe, expect, test } from "vitest";
import { FlashdutyConfigError } from "./client-errors.js";
import { ERROR_BODY_LIMIT_BYTES, readBodyText, SUCCESS_BODY_LIMIT_BYTES } from "./read-body-text.js";

/** A response whose body arrives in the given chunks, recording whether the rest was cancelled. */
function streamed(chunks: Uint8Array[]): {
  response: Response;
  cancelled: () => boolean;
  pulled: () => number;
} {
  let cancelled = false;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[pulled++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body), cancelled: () => cancelled, pulled: () => pulled };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("readBodyText", () => {
  test("the limits are documented numbers: 64 KiB each", () => {
    expect(ERROR_BODY_LIMIT_BYTES).toBe(65_536);
    expect(SUCCESS_BODY_LIMIT_BYTES).toBe(65_536);
  });

  test("reads a body under the limit whole, decoding characters split across chunks", async () => {
    const euro = bytes("€");
    const { response } = streamed([bytes("a"), euro.subarray(0, 1), euro.subarray(1), bytes("b")]);
    expect(await readBodyText(response, 100)).toEqual({ text: "a€b", cut: false });
  });

  test("a body of exactly the limit is not cut", async () => {
    const { response } = streamed([bytes("12345"), bytes("678")]);
    expect(await readBodyText(response, 8)).toEqual({ text: "12345678", cut: false });
  });

  test("stops at the limit, cancels the rest and never pulls further chunks", async () => {
    const endless = Array.from({ length: 1000 }, () => new Uint8Array(1024).fill(120));
    const { response, cancelled, pulled } = streamed(endless);
    const read = await readBodyText(response, 4096 + 10);
    expect(read.cut).toBe(true);
    expect(read.text).toBe("x".repeat(4106));
    expect(cancelled()).toBe(true);
    expect(pulled()).toBeLessThan(10);
  });

  test("a character split by the limit becomes U+FFFD, not a throw", async () => {
    const { response } = streamed([bytes("ab€")]);
    expect(await readBodyText(response, 3)).toEqual({ text: "ab\ufffd", cut: true });
  });

  test("reads a custom fetch's async-iterable body (node-fetch's Node stream) and stops it at the limit", async () => {
    let stopped = false;
    let produced = 0;
    async function* nodeStream() {
      try {
        for (;;) {
          produced++;
          yield new Uint8Array(1024).fill(121);
        }
      } finally {
        stopped = true;
      }
    }
    const read = await readBodyText({ body: nodeStream(), text: async () => "unused" }, 2048 + 1);
    expect(read).toEqual({ text: "y".repeat(2049), cut: true });
    expect(stopped).toBe(true);
    expect(produced).toBe(3);
  });

  test("with a signal, a body of a small Content-Length is read by its reader, which the abort cancels", async () => {
    let cancelled!: () => void;
    const released = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      pull: () => {
        // Stuck after being asked for its first chunk: the abort is the only way out.
        controller.abort();
        return new Promise<never>(() => {});
      },
      cancel: () => cancelled(),
    });
    const response = new Response(body, { headers: { "content-length": "20" } });
    // What it settles with does not matter (the caller has given up on it); that it settles, and releases the body.
    await readBodyText(response, ERROR_BODY_LIMIT_BYTES, controller.signal).catch(() => undefined);
    await released;
  });

  test("with a signal, a stream cancelled at the abort mid-body rejects with its reason, not with the part read as whole", async () => {
    const controller = new AbortController();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (stream) => {
        // The first half of a JSON answer, then stuck: the abort is the only way out.
        if (++pulls === 1) return stream.enqueue(new TextEncoder().encode('{"request_id":"r1"'));
        controller.abort(new Error("attempt timed out"));
        return new Promise<never>(() => {});
      },
    });
    const read = readBodyText(
      { body, text: async () => "unused" },
      ERROR_BODY_LIMIT_BYTES,
      controller.signal,
    );
    await expect(read).rejects.toThrow("attempt timed out");
  });

  test("with a signal, a custom fetch's Node stream stuck mid-body is destroyed at the abort, and the read ends", async () => {
    const { Readable } = await import("node:stream");
    const controller = new AbortController();
    let asked = 0;
    const body = new Readable({
      read() {
        // The first chunk, then stuck: the abort is the only way out.
        if (++asked === 1) this.push(new TextEncoder().encode("partial"));
        else controller.abort(new Error("attempt timed out"));
      },
    });
    const destroyed = new Promise<void>((resolve) => body.once("close", resolve));
    const read = readBodyText(
      { body, text: async () => "unused" },
      ERROR_BODY_LIMIT_BYTES,
      controller.signal,
    );
    await expect(read).rejects.toThrow("attempt timed out");
    await destroyed;
    expect(body.destroyed).toBe(true);
  });

  test("with a signal, an async iterable whose next chunk never comes is returned at the abort", async () => {
    const controller = new AbortController();
    let returned!: () => void;
    const released = new Promise<void>((resolve) => {
      returned = resolve;
    });
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          controller.abort();
          return new Promise<never>(() => {});
        },
        return: async () => {
          returned();
          return { done: true, value: undefined };
        },
      }),
    };
    const read = readBodyText(
      { body, text: async () => "unused" },
      ERROR_BODY_LIMIT_BYTES,
      controller.signal,
    );
    await expect(read).rejects.toBe(controller.signal.reason);
    await released;
  });

  test("falls back to text() only when there is no body stream", async () => {
    expect(await readBodyText({ body: null, text: async () => "abcdef" }, 4)).toEqual({
      text: "abcd",
      cut: true,
    });
    expect(await readBodyText(new Response(null), 4)).toEqual({ text: "", cut: false });
  });
});

describe("readBodyText: a Content-Length the runtime enforces", () => {
  /** A raw HTTP server answering every request with `head` then `body`, as a hostile server may. */
  async function rawServer(head: string, body: Uint8Array): Promise<{ url: string; close: () => void }> {
    const { createServer } = await import("node:net");
    const server = createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        socket.write(head);
        socket.end(body);
      });
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
  }

  async function answer(head: string, body: Uint8Array, limit: number) {
    const server = await rawServer(`HTTP/1.1 200 OK\r\n${head}Connection: close\r\n\r\n`, body);
    try {
      return await readBodyText(await fetch(server.url, { method: "POST", body: "{}" }), limit);
    } finally {
      server.close();
    }
  }

  test("a body longer than its Content-Length is read only to that length", async () => {
    expect(await answer("Content-Length: 10\r\n", bytes("x".repeat(1 << 20)), 100)).toEqual({
      text: "x".repeat(10),
      cut: false,
    });
  });

  test("a Content-Length over the limit is cut at the limit", async () => {
    const body = bytes("y".repeat(300));
    expect(await answer("Content-Length: 300\r\n", body, 100)).toEqual({ text: "y".repeat(100), cut: true });
  });

  test("a Content-Length beside a Transfer-Encoding or a Content-Encoding does not bound the body", async () => {
    // Bun and Deno read a chunked body whole whatever its Content-Length, and show both headers, as here.
    for (const header of [{ "transfer-encoding": "chunked" }, { "content-encoding": "identity" }]) {
      const { response, cancelled } = streamed(Array.from({ length: 20 }, () => bytes("w".repeat(64))));
      const lying = new Response(response.body, { headers: { "content-length": "10", ...header } });
      expect(await readBodyText(lying, 100)).toEqual({ text: "w".repeat(100), cut: true });
      expect(cancelled()).toBe(true);
    }
  });

  test("a small compressed body that inflates past the limit is cut at the limit", async () => {
    const { brotliCompressSync } = await import("node:zlib");
    const packed = new Uint8Array(brotliCompressSync(Buffer.alloc(1 << 20, 0x61)));
    const head = `Content-Encoding: br\r\nContent-Length: ${packed.byteLength}\r\n`;
    expect(await answer(head, packed, 100)).toEqual({ text: "a".repeat(100), cut: true });
  });
});

describe("readBodyText given plain JavaScript's garbage", () => {
  test.each([
    ["null", null, 10, "readBodyText()'s response must be a Response, not null."],
    ["a string", "body", 10, "readBodyText()'s response must be a Response, not a string."],
    ["no body nor text()", {}, 10, "readBodyText()'s response must be a Response, not an object."],
    ["a maxBytes that is no number", new Response("abc"), "64", "readBodyText()'s maxBytes must be a number"],
    [
      "a NaN maxBytes",
      new Response("abc"),
      Number.NaN,
      "readBodyText()'s maxBytes must be a number, not NaN.",
    ],
  ])(
    "rejects %s with a FlashdutyConfigError naming the argument",
    async (_name, response, maxBytes, message) => {
      const error = await readBodyText(response as never, maxBytes as never).catch(
        (thrown: unknown) => thrown,
      );
      expect(FlashdutyConfigError.isInstance(error)).toBe(true);
      expect((error as Error).message.startsWith(message)).toBe(true);
    },
  );
});
