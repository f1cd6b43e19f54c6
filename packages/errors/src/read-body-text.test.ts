import { describe, expect, test } from "vitest";
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

  test("falls back to text() only when there is no body stream", async () => {
    expect(await readBodyText({ body: null, text: async () => "abcdef" }, 4)).toEqual({
      text: "abcd",
      cut: true,
    });
    expect(await readBodyText(new Response(null), 4)).toEqual({ text: "", cut: false });
  });
});
