import { expect, test } from "vitest";
import { bodyFraming, isToken, parseResponseHead } from "./http-response-head.js";

test("reads the status and the headers, names lower-cased, values trimmed, repeats joined", () => {
  const head = parseResponseHead(
    "HTTP/1.1 429 Too Many Requests\r\nRetry-After:  3 \r\nVia: a\r\nvia: b\r\nEmpty:",
  );
  expect(head.status).toBe(429);
  expect(Object.fromEntries(head.headers)).toEqual({ "retry-after": "3", via: "a, b", empty: "" });
  expect(parseResponseHead("HTTP/1.0 200").status).toBe(200);
});

test.each([
  "HTTP/1.2 200 OK",
  "HTTP/1.1 2000 OK",
  "HTTP/1.1 2x0 OK",
  "http/1.1 200 OK",
  "HTTP/1.1 200 OK\r\n folded",
  "HTTP/1.1 200 OK\r\n: no name",
  "HTTP/1.1 200 OK\r\nNo colon",
  "HTTP/1.1 200 OK\r\nBad(name): x",
])("refuses %j", (text) => {
  expect(() => parseResponseHead(text)).toThrow(/malformed HTTP response/);
});

const head = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: new Map(Object.entries(headers)),
});

test("frames the body as RFC 9112 says", () => {
  expect(bodyFraming("POST", head(204))).toEqual({ kind: "none" });
  expect(bodyFraming("POST", head(304, { "content-length": "5" }))).toEqual({ kind: "none" });
  expect(bodyFraming("HEAD", head(200, { "content-length": "5" }))).toEqual({ kind: "none" });
  expect(bodyFraming("POST", head(200, { "content-length": "5, 5" }))).toEqual({ kind: "length", bytes: 5 });
  expect(
    bodyFraming("POST", head(200, { "transfer-encoding": "gzip, Chunked", "content-length": "5" })),
  ).toEqual({
    kind: "chunked",
  });
  expect(bodyFraming("POST", head(200, { "transfer-encoding": "gzip" }))).toEqual({ kind: "close" });
  expect(bodyFraming("POST", head(200))).toEqual({ kind: "close" });
});

test.each(["", "5, 6", "-1", "1e3", " ", "9999999999999999"])("refuses Content-Length %j", (length) => {
  expect(() => bodyFraming("POST", head(200, { "content-length": length }))).toThrow(
    /malformed HTTP response/,
  );
});

test("a token is one or more of the characters RFC 9110 allows", () => {
  expect(isToken("X-Custom_1!#$%&'*+.^`|~")).toBe(true);
  for (const text of ["", "a b", "a:b", "a\r\n", "é", "a(b)"]) expect(isToken(text)).toBe(false);
});
