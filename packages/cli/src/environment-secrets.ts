import { isUrlGivenAsKey, parsePushUrl, registerSecret } from "@flash-call/keys";
import { KEY_VARIABLES } from "./cli-wording.js";
import { escapeForTerminal } from "./terminal-text.js";

/**
 * Dashes a flag may be typed or pasted with: ASCII's, and the hyphens, dashes and minus signs a word processor or
 * a web page puts in their place (`—key`).
 */
const DASHES = new Set([
  "-",
  "\u2010",
  "\u2011",
  "\u2012",
  "\u2013",
  "\u2014",
  "\u2015",
  "\u2212",
  "\ufe63",
  "\uff0d",
]);

/**
 * The values `argv` gives the flag `--<name>`, as written and as mistyped: the next argument after the flag
 * (`--key KEY`), or after `=` (`--key=KEY`, and `--key= KEY`, whose value is empty and whose key is then the next
 * argument), and the flag's name written with any dashes (`-key`, `—key`), in any case, followed by `:` or
 * nothing (`--key:KEY`, `--keyKEY`). A mistyped flag is a usage error that quotes what follows it: the key there
 * must be known to be one. Only up to `--`, past which the arguments are a deployed command's own.
 */
function optionValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  const end = argv.indexOf("--");
  const flagsEnd = end === -1 ? argv.length : end;
  for (const [index, argument] of argv.entries()) {
    const next = index + 1 < argv.length ? (argv[index + 1] ?? "") : undefined;
    if (argument === `--${name}`) {
      if (next !== undefined) values.push(next);
      continue;
    }
    if (argument.startsWith(`--${name}=`) && argument.length > name.length + 3) {
      values.push(argument.slice(name.length + 3));
      continue;
    }
    if (index >= flagsEnd) continue;
    let dashes = 0;
    while (dashes < argument.length && DASHES.has(argument[dashes] ?? "")) dashes++;
    if (dashes === 0 || argument.slice(dashes, dashes + name.length).toLowerCase() !== name) continue;
    const rest = argument.slice(dashes + name.length);
    const value = rest.startsWith("=") || rest.startsWith(":") ? rest.slice(1) : rest;
    if (value !== "") values.push(value);
    // A flag after it is the next flag, not a key (`--key= --title t`): masking its name would garble messages.
    else if (next !== undefined && !DASHES.has(next[0] ?? "")) values.push(next);
  }
  return values;
}

/**
 * Registers a key in the forms only the CLI prints it in, beside those `registerSecret` derives itself (encoded,
 * JSON- and HTML-escaped, and every 8-character piece): trimmed (a key read with `$(cat file)`) and
 * terminal-escaped (a key with a control character in it is printed escaped).
 */
function registerKey(key: string): void {
  for (const form of new Set([key, key.trim(), escapeForTerminal(key), escapeForTerminal(key.trim())])) {
    registerSecret(form);
  }
}

/**
 * Registers the key of a push URL: the parsed one when the URL is valid, and, read from the text itself so that
 * a malformed URL's key is hidden too, every `integration_key=` value and a bare query (`…/standard?KEY`).
 */
function registerPushUrl(url: string): void {
  try {
    registerKey(parsePushUrl(url).integrationKey);
  } catch {
    // Not a usable push URL: the command reports that when it uses it.
  }
  const query = url.slice(url.indexOf("?") + 1).split("#")[0] ?? "";
  if (url.includes("?") && !query.includes("=")) registerKey(query);
  for (const parameter of query.split("&")) {
    const split = parameter.indexOf("=");
    // Lower-cased rather than a case-blind expression (compiled at its first use, at every start): the same
    // names, and a few more Unicode spellings, which only hides more.
    if (split === -1 || !parameter.slice(0, split).toLowerCase().includes("integration_key")) continue;
    const value = parameter.slice(split + 1);
    registerKey(value);
    try {
      registerKey(decodeURIComponent(value.replaceAll("+", " ")));
    } catch {
      // A malformed percent-escape: the raw value is registered already.
    }
  }
}

/**
 * Registers every key the process was given (`FLASHDUTY_INTEGRATION_KEY`, `FLASHDUTY_PUSH_URL`, their change
 * integration's `FLASHDUTY_CHANGE_INTEGRATION_KEY` and `FLASHDUTY_CHANGE_PUSH_URL`, `--key`, `--push-url`) for
 * redaction before anything is printed: a usage error quotes stray arguments, and a key
 * pasted in the wrong place must come back masked, not verbatim. Never throws, whatever the values (empty,
 * short, huge, with control characters or lone surrogates): the command then reports what is wrong with them.
 *
 * @example
 * registerGivenSecrets(["push", "0a1b2c3d4e5f6a7b"], { FLASHDUTY_INTEGRATION_KEY: "0a1b2c3d4e5f6a7b" });
 * // the usage error `unexpected argument "0a1b2c3d4e5f6a7b"` is then printed with the key masked
 */
export function registerGivenSecrets(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): void {
  const variables = Object.values(KEY_VARIABLES);
  for (const key of [...variables.map((names) => env[names.key]), ...optionValues(argv, "key")]) {
    // A push URL given as a key is registered as a push URL: registered whole, its https:// and the words of its
    // path would be masked in every later line, the message saying what is wrong with it among them.
    if (key === undefined) continue;
    if (isUrlGivenAsKey(key)) registerPushUrl(key);
    else registerKey(key);
  }
  for (const url of [...variables.map((names) => env[names.pushUrl]), ...optionValues(argv, "push-url")]) {
    if (url !== undefined) registerPushUrl(url);
  }
}
