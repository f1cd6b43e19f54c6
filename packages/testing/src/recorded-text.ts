import { CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { maskKey, redactWith } from "@flash-call/errors";

/**
 * The shortest key masked where it appears: the product's rule is that no 8 characters of a key in a row appear,
 * and replacing every "k" or "test" a short key would match would garble the text.
 */
const SHORTEST_MASKED_KEY = 8;

/** The words of Flashduty's push routes: the only segments of a path the mock does not serve that it shows. */
const ROUTE_WORDS: ReadonlySet<string> = new Set(
  `${PUSH_PATH}/${CHANGE_PUSH_PATH}`.split("/").filter((word) => word !== ""),
);

/** What {@link maskKey} gives: a segment already masked keeps its fingerprint. */
const MASKED = /^\*{4}(?:#[0-9a-f]{6})?$/;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `text` as the mock may record or show it: each of `keys` it holds, and every piece of 8 or more characters of
 * one, in any case and in every escape `redact` knows (percent, HTML, JSON), replaced by its {@link maskKey}
 * mask, as the key of an accepted event is shown in its `integration` field; then every registered secret.
 * `keys`: the keys the mock knows of, whether or not anyone registered them: the request's own
 * `integration_key` and the accepted ones. They are not registered (see `redactWith`): a mock that anyone may
 * send ever new keys would otherwise grow without bound.
 *
 * @example
 * maskKeysIn(`route not found: POST /x/${key.toUpperCase()}`, [key]); // "route not found: POST /x/****#1a2b3c"
 */
export function maskKeysIn(text: string, keys: Iterable<string>): string {
  return redactWith(
    text,
    [...keys].filter((key) => key.length >= SHORTEST_MASKED_KEY),
  );
}

/**
 * The path of a request the mock does not serve, as it records and shows it: nothing says what such a path
 * holds (a key pasted after the route, a base URL with the key in it), so every segment other than the words of
 * Flashduty's push routes is masked ({@link maskKey} of its decoded text: a key shows the same fingerprint as in
 * an event's `integration`), after the keys the mock knows of (see {@link maskKeysIn}).
 *
 * @example
 * unservedPath(`/event/push/alert/standard/${key}`, []); // "/event/push/alert/standard/****#1a2b3c"
 * unservedPath("/event/push/alert/standrad", []); // "/event/push/alert/****"
 */
export function unservedPath(path: string, keys: Iterable<string>): string {
  return maskKeysIn(path, keys)
    .split("/")
    .map((segment) =>
      segment === "" || ROUTE_WORDS.has(segment) || MASKED.test(segment)
        ? segment
        : maskKey(decoded(segment)),
    )
    .join("/");
}
