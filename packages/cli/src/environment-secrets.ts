import { parsePushUrl, registerSecret } from "@flash-call/keys";
import { rememberKey } from "./key-fragments.js";
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
 * Registers a key in every form the CLI may print it in: as given, trimmed (a key read with `$(cat file)`),
 * JSON-quoted (error messages quote input with JSON.stringify, which rewrites control characters, quotes and
 * backslashes) and terminal-escaped. A key that cannot be URL-encoded (a lone surrogate) must not stop the
 * others from being registered, nor the command from reporting it.
 */
function registerKey(key: string): void {
  const forms = new Set([key, key.trim()]);
  for (const form of [...forms]) {
    forms.add(JSON.stringify(form).slice(1, -1));
    forms.add(escapeForTerminal(form));
  }
  for (const form of forms) {
    rememberKey(form);
    try {
      registerSecret(form);
    } catch {
      // Only the URL-encoded form can fail (a lone surrogate); that key cannot be sent in a URL either.
    }
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
    if (split === -1 || !/integration_key/i.test(parameter.slice(0, split))) continue;
    const value = parameter.slice(split + 1);
    registerKey(value);
    try {
      registerKey(decodeURIComponent(value.replace(/\+/g, " ")));
    } catch {
      // A malformed percent-escape: the raw value is registered already.
    }
  }
}

/**
 * Registers every key the process was given (`FLASHDUTY_INTEGRATION_KEY`, `FLASHDUTY_PUSH_URL`, `--key`,
 * `--push-url`) for redaction before anything is printed: a usage error quotes stray arguments, and a key
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
  for (const key of [env.FLASHDUTY_INTEGRATION_KEY, ...optionValues(argv, "--key")]) {
    if (key !== undefined) registerKey(key);
  }
  for (const url of [env.FLASHDUTY_PUSH_URL, ...optionValues(argv, "--push-url")]) {
    if (url !== undefined) registerPushUrl(url);
  }
}
