import type { FlashCall } from "flash-call";
import { type CommandName, type CommonValues, integerFlag } from "./args.js";
import type { Output } from "./output.js";
import { proxyFetch } from "./proxy-fetch.js";

/** Where a command runs: its environment, output and stdin, and the signal that stops it. */
export interface CommandContext {
  env: Readonly<Record<string, string | undefined>>;
  output: Output;
  stdin: AsyncIterable<string | Uint8Array>;
  /** Aborted (reason: the signal's name) when SIGTERM, SIGINT or SIGHUP asks the command to stop. @default never */
  stop?: AbortSignal | undefined;
}

/**
 * The spool directory from `--spool` or `FLASH_CALL_SPOOL`, if any.
 *
 * @example
 * spoolDirectory({ spool: undefined }, { FLASH_CALL_SPOOL: "/var/spool/flash-call" }); // "/var/spool/flash-call"
 */
export function spoolDirectory(values: CommonValues, env: CommandContext["env"]): string | undefined {
  const directory = values.spool ?? env.FLASH_CALL_SPOOL;
  return directory === undefined || directory.trim() === "" ? undefined : directory;
}

/**
 * Where to send and with which key, from the flags and then the command's environment, in the SDK's order:
 * `--key` › `FLASHDUTY_INTEGRATION_KEY` › `--push-url` › `FLASHDUTY_PUSH_URL` for the key (a flag beats the
 * environment), and `--base-url` › the push URL's base › `FLASHDUTY_BASE_URL` for the destination. The SDK
 * would read `process.env` itself; a command is given its environment (`run(argv, { env })`), so it is read
 * here and passed on explicitly.
 *
 * @example
 * destinationOptions({}, { FLASHDUTY_INTEGRATION_KEY: "k", FLASHDUTY_BASE_URL: "http://127.0.0.1:8080" });
 * // { integrationKey: "k", baseUrl: "http://127.0.0.1:8080" }
 */
export function destinationOptions(
  values: CommonValues,
  env: CommandContext["env"],
): { integrationKey?: string; pushUrl?: string; baseUrl?: string } {
  const set = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);
  const integrationKey =
    values.key ?? (values["push-url"] === undefined ? set(env.FLASHDUTY_INTEGRATION_KEY) : undefined);
  const pushUrl =
    values["push-url"] ?? (integrationKey === undefined ? set(env.FLASHDUTY_PUSH_URL) : undefined);
  const baseUrl = values["base-url"] ?? (pushUrl === undefined ? set(env.FLASHDUTY_BASE_URL) : undefined);
  return {
    ...(integrationKey !== undefined && { integrationKey }),
    ...(pushUrl !== undefined && { pushUrl }),
    ...(baseUrl !== undefined && { baseUrl }),
  };
}

/**
 * Creates the SDK instance a command sends with: key and URLs from flags and the command's environment
 * (see {@link destinationOptions}), timeout and retries, the proxy-aware fetch when a proxy is set, and SDK
 * warnings (truncations) routed to stderr. Warns when the key is passed on the command line. The SDK is
 * imported here, lazily.
 *
 * @example
 * const flashCall = await connect(values, "push", context);
 */
export async function connect(
  values: CommonValues,
  command: CommandName,
  context: CommandContext,
): Promise<FlashCall> {
  const { output } = context;
  if (values.key !== undefined) {
    output.warn(
      "--key shows in the process list and shell history; set FLASHDUTY_INTEGRATION_KEY in the environment instead",
    );
  }
  if (values["push-url"] !== undefined) {
    output.warn(
      "--push-url contains the key and shows in the process list; prefer FLASHDUTY_PUSH_URL in the environment",
    );
  }
  const timeoutMs = integerFlag("--timeout", values.timeout, command);
  const maxRetries = integerFlag("--retries", values.retries, command);
  const [{ createFlashCall }, fetch] = await Promise.all([import("flash-call"), proxyFetch(context.env)]);
  return createFlashCall({
    ...destinationOptions(values, context.env),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(fetch !== undefined && { fetch }),
    logger: {
      warn: (message) => output.warn(message),
      error: (message) => output.warn(message),
    },
  });
}
