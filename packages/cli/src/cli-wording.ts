import { CLIENT_ERROR_CODES } from "@flash-call/errors";
import { KEY_VARIABLES as KEYS_VARIABLES, type PushEndpoint } from "@flash-call/keys";
import type { CommandName } from "./args.js";
import type { ErrorReport } from "./error-report.js";
import { MILLISECONDS_HINT } from "./event-time.js";

/**
 * The environment variables that hold each endpoint's key and push URL, as @flash-call/keys'
 * `resolveDestination` reads them (its own table): the names the CLI's messages tell a user to set.
 *
 * @example
 * KEY_VARIABLES.change.key; // "FLASHDUTY_CHANGE_INTEGRATION_KEY"
 */
export const KEY_VARIABLES = KEYS_VARIABLES;

/**
 * The integration a command's `--key` and `--push-url` are for: `change` and `deploy` send change events,
 * every other command alert events.
 *
 * @example
 * endpointOf("deploy"); // "change"
 */
export function endpointOf(command: CommandName | "help" | "version" | undefined): PushEndpoint {
  return command === "change" || command === "deploy" ? "change" : "alert";
}

/**
 * The warnings for a key given on the command line (it shows in the process list and shell history), naming
 * the variable of the integration the command sends to.
 *
 * @example
 * secretFlagWarnings({ key: "…" }, "change");
 * // ["--key shows in the process list and shell history; set FLASHDUTY_CHANGE_INTEGRATION_KEY in the environment instead"]
 */
export function secretFlagWarnings(
  given: { key?: string | undefined; "push-url"?: string | undefined },
  endpoint: PushEndpoint,
): string[] {
  const variables = KEY_VARIABLES[endpoint];
  const warnings: string[] = [];
  if (given.key !== undefined) {
    warnings.push(
      `--key shows in the process list and shell history; set ${variables.key} in the environment instead`,
    );
  }
  if (given["push-url"] !== undefined) {
    warnings.push(
      `--push-url contains the key and shows in the process list; prefer ${variables.pushUrl} in the environment`,
    );
  }
  return warnings;
}

/** The SDK options the CLI sets, as its user knows them: the flag (each flag names its variable in `--help`). */
const FLAG_FOR_OPTION: Readonly<Record<string, string>> = {
  integrationKey: "--key",
  pushUrl: "--push-url",
  baseUrl: "--base-url",
  timeoutMs: "--timeout",
  maxRetries: "--retries",
};
const OPTION_NAME = new RegExp(`\\b(${Object.keys(FLAG_FOR_OPTION).join("|")})\\b`, "g");

/** The hint of a configuration error, for a shell user: where the CLI takes each setting from. */
const configHint = (endpoint: PushEndpoint) =>
  `the key comes from ${KEY_VARIABLES[endpoint].key} or ${KEY_VARIABLES[endpoint].pushUrl} (or --key, --push-url), the destination from --base-url or FLASHDUTY_BASE_URL; see: flash-call --help`;

/** A configuration error about a proxy variable: its message starts with the variable's name (see proxyUrl). */
const ABOUT_A_PROXY = /^(?:https?_proxy|HTTPS?_PROXY) /;

/** The hint of a proxy variable's configuration error: the key and destination are not at fault. */
const PROXY_HINT =
  "the proxy comes from https_proxy / HTTPS_PROXY (https destinations) or http_proxy / HTTP_PROXY; unset it, or fix it; see: flash-call --help";

/** SDK advice written for code, and what a shell user does instead. */
const SHELL_ADVICE: readonly (readonly [RegExp, string])[] = [
  [/pass Math\.floor\(ms \/ 1000\) or a Date/g, MILLISECONDS_HINT],
];

function inShellWords(text: string): string {
  let result = text;
  for (const [advice, instead] of SHELL_ADVICE) result = result.replace(advice, instead);
  return result;
}

/**
 * An SDK error's report in the CLI's words — the one place where the SDK's wording is mapped: a configuration
 * error names flags instead of SDK options (`timeoutMs` → `--timeout`) and its hint says where the CLI takes
 * the key and destination of the integration the command sends to (`endpoint`, default `alert`) from (or,
 * for an error about a proxy variable, where the proxy comes from), and validation advice meant for code
 * is given as a shell user would follow it (milliseconds: "divide by 1000 (date +%s gives seconds)"). Errors
 * the CLI words itself (the key and destination, see commandDestination; flags; `--status`) pass unchanged.
 *
 * @example
 * inCliWords({ code: "ConfigError", message: "timeoutMs must be a whole number, 1 or more; got 0.", retryable: false });
 * // { code: "ConfigError", message: "--timeout must be a whole number, 1 or more; got 0.", hint: "the key comes …", … }
 */
export function inCliWords(report: ErrorReport, endpoint: PushEndpoint = "alert"): ErrorReport {
  if (report.code === CLIENT_ERROR_CODES.config) {
    const message = report.message.replace(OPTION_NAME, (name) => FLAG_FOR_OPTION[name] ?? name);
    return { ...report, message, hint: ABOUT_A_PROXY.test(message) ? PROXY_HINT : configHint(endpoint) };
  }
  if (report.code !== CLIENT_ERROR_CODES.validation) return report;
  const worded: ErrorReport = { ...report, message: inShellWords(report.message) };
  if (report.issues !== undefined) {
    worded.issues = report.issues.map((issue) => ({ ...issue, message: inShellWords(issue.message) }));
  }
  return worded;
}
