import type { Destination } from "@flash-call/keys";
import type { Hooks } from "flash-call";
import type { CommandName, CommonValues } from "./args.js";
import { commandDestination } from "./command-destination.js";
import { type CommandContext, type Connection, connectionFlags } from "./connection.js";
import { proxyFetch } from "./proxy-fetch.js";

/**
 * Where a change command sends and with which key: `commandDestination` for the change endpoint — the flags ›
 * `FLASHDUTY_CHANGE_INTEGRATION_KEY` › `FLASHDUTY_CHANGE_PUSH_URL`, never the alert's variables.
 *
 * @throws FlashdutyConfigError naming the flags and the change variables when none is set, or when a push URL
 * is an alert integration's
 * @example
 * changeDestination({}, { FLASHDUTY_CHANGE_PUSH_URL: "https://api.flashcat.cloud/event/push/change/standard?integration_key=…" });
 */
export function changeDestination(
  values: CommonValues,
  env: Readonly<Record<string, string | undefined>>,
): Destination {
  return commandDestination(values, env, "change");
}

/**
 * Creates the SDK instance a change command sends with, as `connect` does for alerts: the change destination
 * above, `--timeout`, `--retries`, the proxy-aware fetch, SDK warnings on stderr. Returns it with its
 * destination (recorded in the spool with each event, checked by `flush`). `flags`: the connection flags when
 * the command has read them already, so that their warnings are said once. @default read here
 * `hooks`: SDK hooks for the instance (deploy's stop between attempts). @default none
 *
 * @example
 * const { flashCall, destination } = await connectChange(values, "change", context);
 * await flashCall.change(event);
 */
export async function connectChange(
  values: CommonValues,
  command: CommandName,
  context: CommandContext,
  flags: ReturnType<typeof connectionFlags> = connectionFlags(values, command, context.output),
  hooks: Hooks = {},
): Promise<Connection> {
  const { output, env } = context;
  const { timeoutMs: timeout, maxRetries } = flags;
  const destination = changeDestination(values, env);
  const [{ createFlashCall }, fetch] = await Promise.all([import("flash-call"), proxyFetch(env)]);
  const pushUrl =
    destination.source === "explicit"
      ? values["push-url"] || undefined
      : destination.source === "FLASHDUTY_CHANGE_PUSH_URL"
        ? env.FLASHDUTY_CHANGE_PUSH_URL
        : undefined;
  const flashCall = createFlashCall({
    changeIntegrationKey: destination.key.reveal(),
    baseUrl: destination.baseUrl,
    // The push URL only for its other query parameters, which go with the key (as for alerts).
    ...(pushUrl !== undefined && { changePushUrl: pushUrl }),
    ...(timeout !== undefined && { timeoutMs: timeout }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(fetch !== undefined && { fetch }),
    ...hooks,
    logger: {
      warn: (message) => output.warn(message),
      error: (message) => output.warn(message),
    },
  });
  return { flashCall, destination };
}
