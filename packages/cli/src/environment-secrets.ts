import { parsePushUrl, registerSecret } from "@flash-call/keys";
import { KEY_VARIABLES } from "./cli-wording.js";
import { escapeForTerminal } from "./terminal-text.js";

function optionValues(argv: readonly string[], option: string): string[] {
  const values: string[] = [];
  for (const [index, argument] of argv.entries()) {
    if (argument === option && index + 1 < argv.length) values.push(argv[index + 1] ?? "");
    else if (argument.startsWith(`${option}=`)) values.push(argument.slice(option.length + 1));
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
  for (const key of [...variables.map((names) => env[names.key]), ...optionValues(argv, "--key")]) {
    if (key !== undefined) registerKey(key);
  }
  for (const url of [...variables.map((names) => env[names.pushUrl]), ...optionValues(argv, "--push-url")]) {
    if (url !== undefined) registerPushUrl(url);
  }
}
