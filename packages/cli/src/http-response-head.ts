/** The most a response's status line and headers may take, in bytes: Node's own limit (`--max-http-header-size`). */
export const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

/**
 * The most interim (1xx) answers taken before the real one: a server sending them without end would keep the push
 * waiting until its timeout, and its retries after it. A few are real (100 Continue, 103 Early Hints); more is a
 * broken or hostile server, refused as a malformed answer.
 */
export const MAX_INTERIM_ANSWERS = 16;

/** A response's status and headers, names lower-cased, repeated ones joined by ", " as fetch's `Headers.get` joins them. */
export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

/** How a response's body ends (RFC 9112 §6.3): no body, after a length, in chunks, or when the connection closes. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; bytes: number }
  | { kind: "chunked" }
  | { kind: "close" };

const malformed = (what: string) => new Error(`malformed HTTP response: ${what}`);

// RFC 9110 token characters: what a header name may be made of.
const isTokenCharacter = (unit: number) =>
  (unit >= 0x30 && unit <= 0x39) ||
  (unit >= 0x41 && unit <= 0x5a) ||
  (unit >= 0x61 && unit <= 0x7a) ||
  "!#$%&'*+-.^_`|~".includes(String.fromCharCode(unit));

const isDigit = (unit: number) => unit >= 0x30 && unit <= 0x39;

/**
 * Whether `text` may be a header's value: no CR, LF or NUL (RFC 9110 §5.5). What the transport sends is held to it
 * (a value with CR or LF would split the request) and so is what it reads.
 *
 * @example
 * ```ts
 * isFieldValue("application/json"); // true
 * isFieldValue("a\rb"); // false
 * ```
 */
export const isFieldValue = (text: string): boolean =>
  !text.includes("\r") && !text.includes("\n") && !text.includes("\0");

/**
 * Whether `text` is an RFC 9110 token, what a method or a header name must be: one or more of letters, digits and
 * ``!#$%&'*+-.^_`|~``.
 *
 * @example
 * ```ts
 * isToken("Content-Type"); // true
 * isToken("bad name"); // false
 * ```
 */
export function isToken(text: string): boolean {
  if (text === "") return false;
  for (let at = 0; at < text.length; at++) if (!isTokenCharacter(text.charCodeAt(at))) return false;
  return true;
}

function headerName(line: string, colon: number): string {
  if (colon === -1) throw malformed("a header line without a colon");
  const name = line.slice(0, colon);
  if (!isToken(name)) throw malformed("a header name that is empty or has a character no name may have");
  return name.toLowerCase();
}

/**
 * Reads a response head (the text before the blank line, as Latin-1, without the final CRLF CRLF): an `HTTP/1.0`
 * or `HTTP/1.1` status line with a three-digit status from 100 to 599, then `name: value` lines. Folded lines (obsolete since RFC
 * 7230), header names with characters no token has, values with CR, LF or NUL, and lines without a colon are refused: a client that guesses
 * where a header ends can be made to read a different answer than the one sent. One pass over the text.
 *
 * @param text the head, at most {@link MAX_RESPONSE_HEAD_BYTES} long (the caller bounds it)
 * @returns the status and the headers
 * @throws Error "malformed HTTP response: …" on anything else
 * @example
 * ```ts
 * parseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 2").headers.get("content-length"); // "2"
 * ```
 */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split("\r\n");
  const statusLine = lines[0] ?? "";
  const version = statusLine.slice(0, 9);
  if (version !== "HTTP/1.1 " && version !== "HTTP/1.0 ") throw malformed("no HTTP/1.x status line");
  const digits = statusLine.slice(9, 12);
  if (digits.length !== 3 || ![0, 1, 2].every((at) => isDigit(digits.charCodeAt(at))))
    throw malformed("a status that is not three digits");
  if (statusLine.length > 12 && statusLine[12] !== " ") throw malformed("a status that is not three digits");
  // RFC 9110 §15: 100–599. Node's parser takes up to 999, but no HTTP server sends one, and a status under 100
  // would be taken for an interim answer.
  const first = digits.charCodeAt(0);
  if (first < 0x31 || first > 0x35) throw malformed("a status outside 100-599");
  const headers = new Map<string, string>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.startsWith(" ") || line.startsWith("\t")) throw malformed("a folded header line");
    const colon = line.indexOf(":");
    const name = headerName(line, colon);
    const value = line.slice(colon + 1).trim();
    // RFC 9110 §5.5: a CR, LF or NUL in a value must be refused (or replaced): another parser on the way may
    // have ended the line there, and read a header this one did not.
    if (!isFieldValue(value)) throw malformed("a header value with CR, LF or NUL");
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return { status: Number(digits), headers };
}

/**
 * How the body of the answer to `method` with `head` ends: none for HEAD, 1xx, 204 and 304; in chunks when the
 * last transfer coding is `chunked` (it overrides any Content-Length); until the connection closes for another
 * transfer coding or when there is neither; else after Content-Length bytes. A Content-Length that is not one
 * whole number (repeated, it must repeat the same number) is refused rather than guessed at.
 *
 * @example
 * ```ts
 * bodyFraming("POST", { status: 200, headers: new Map([["content-length", "2"]]) }); // { kind: "length", bytes: 2 }
 * ```
 */
export function bodyFraming(method: string, head: ResponseHead): BodyFraming {
  if (method === "HEAD" || head.status < 200 || head.status === 204 || head.status === 304)
    return { kind: "none" };
  const coding = head.headers.get("transfer-encoding");
  if (coding !== undefined) {
    const last = coding.split(",").at(-1)?.trim().toLowerCase();
    return last === "chunked" ? { kind: "chunked" } : { kind: "close" };
  }
  const length = head.headers.get("content-length");
  if (length === undefined) return { kind: "close" };
  const values = new Set(length.split(",").map((value) => value.trim()));
  const [only] = values;
  if (
    values.size !== 1 ||
    only === undefined ||
    only === "" ||
    only.length > 15 ||
    ![...only].every((c) => isDigit(c.charCodeAt(0)))
  )
    throw malformed("a Content-Length that is not one whole number");
  return { kind: "length", bytes: Number(only) };
}
