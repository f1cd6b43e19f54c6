import { expect, test } from "vitest";
import { chunkedBody } from "./chunked-body.js";

const BODY =
  "4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nTrailer: a\r\nOther: b\r\n\r\nafter";

function decode(parts: string[]): { text: string; ended: boolean } {
  const body = chunkedBody();
  let text = "";
  let ended = false;
  for (const part of parts) {
    ended = body.feed(Buffer.from(part, "latin1"), (piece) => {
      text += Buffer.from(piece).toString("latin1");
    });
  }
  return { text, ended };
}

test("decodes a chunked body split at every position, skipping extensions and trailers, ignoring what follows", () => {
  for (let at = 0; at <= BODY.length; at++) {
    expect(decode([BODY.slice(0, at), BODY.slice(at)])).toEqual({
      text: "Wikipedia in \r\n\r\nchunks.",
      ended: true,
    });
  }
});

test("says the body has not ended until the last chunk and the empty line after the trailers", () => {
  expect(decode(["4\r\nWiki\r\n"]).ended).toBe(false);
  expect(decode(["4\r\nWiki\r\n0\r\n"]).ended).toBe(false);
  expect(decode(["4\r\nWiki\r\n0\r\nA: b\r\n"]).ended).toBe(false);
  expect(decode(["4\r\nWiki\r\n0\r\n\r\n"]).ended).toBe(true);
});

test("a size with leading zeros, more of them than a size has digits, is its value", () => {
  expect(decode([`${"0".repeat(100)}4\r\nWiki\r\n${"0".repeat(20)}\r\n\r\n`])).toEqual({
    text: "Wiki",
    ended: true,
  });
});

test.each([
  ["a size that is not hex", "g\r\n"],
  ["an empty size", "\r\n"],
  ["a size over 13 hex digits", "10000000000000\r\n"],
  ["a size over 13 hex digits after zeros", "0010000000000000\r\n"],
  ["a size line ended by LF alone", "4\nWiki"],
  ["data not followed by CRLF", "2\r\nabc\r\n"],
  ["a trailer line ended by CR alone", "0\r\nA: b\rX"],
  ["a size line over 4 KiB", `1;${"e".repeat(4096)}\r\n`],
  ["a trailer section over 4 KiB", `0\r\n${"A: b\r\n".repeat(1000)}`],
])("refuses %s", (_, text) => {
  expect(() => decode([text])).toThrow(/malformed HTTP response/);
});
