import { FlashdutyConfigError } from "@flash-call/errors";
import type { PushEndpoint } from "@flash-call/keys";
import type { FlushValues } from "./args.js";
import { connectChange } from "./change-connection.js";
import { KEY_VARIABLES } from "./cli-wording.js";
import { type CommandContext, type Connection, connect } from "./connection.js";

/** What one flush sends with: a connection for each endpoint its configuration names a key for. */
export type FlushConnections = Partial<Record<PushEndpoint, Connection>>;

/**
 * Whether the flush's configuration gives a key for `endpoint`: for alerts `--key`, `--push-url`,
 * FLASHDUTY_INTEGRATION_KEY or FLASHDUTY_PUSH_URL; for changes FLASHDUTY_CHANGE_INTEGRATION_KEY or
 * FLASHDUTY_CHANGE_PUSH_URL (the flags are the alert integration's on `flush`). Whether it is a usable key is
 * `resolveDestination`'s to say.
 */
function hasConfiguration(endpoint: PushEndpoint, values: FlushValues, env: CommandContext["env"]): boolean {
  const variables = KEY_VARIABLES[endpoint];
  const flags = endpoint === "alert" && (values.key !== undefined || Boolean(values["push-url"]));
  return flags || Boolean(env[variables.key]) || Boolean(env[variables.pushUrl]);
}

/**
 * What a user sets so that a flush sends `endpoint`'s events.
 *
 * @example
 * configurationAdvice("change"); // "set FLASHDUTY_CHANGE_INTEGRATION_KEY or FLASHDUTY_CHANGE_PUSH_URL"
 */
export function configurationAdvice(endpoint: PushEndpoint): string {
  const variables = KEY_VARIABLES[endpoint];
  const flags = endpoint === "alert" ? " (or pass --key or --push-url)" : "";
  return `set ${variables.key} or ${variables.pushUrl}${flags}`;
}

/**
 * The destinations of `flash-call flush`, each resolved by the rule every command uses (`resolveDestination`
 * through `connect` and `connectChange`): alert entries go to the alert integration (`--push-url`/`--key`,
 * else FLASHDUTY_INTEGRATION_KEY, else FLASHDUTY_PUSH_URL), change entries to the change integration
 * (FLASHDUTY_CHANGE_INTEGRATION_KEY, else FLASHDUTY_CHANGE_PUSH_URL); `--base-url` and FLASHDUTY_BASE_URL
 * serve both. An endpoint with no configuration has no connection: its entries stay in the spool, and are
 * never sent with the other endpoint's key.
 *
 * @throws FlashdutyConfigError when neither endpoint has a key, or a given one is malformed (exit 2, before
 * anything is claimed)
 * @example
 * const connections = await connectFlush(values, context);
 * connections.change?.flashCall.change(event);
 */
export async function connectFlush(values: FlushValues, context: CommandContext): Promise<FlushConnections> {
  const alert = hasConfiguration("alert", values, context.env);
  const change = hasConfiguration("change", values, context.env);
  if (!alert && !change) {
    throw new FlashdutyConfigError(
      `No Flashduty key found for flush: for alert events ${configurationAdvice("alert")}; for change events ${configurationAdvice("change")}.`,
    );
  }
  const connections: FlushConnections = {};
  if (alert) connections.alert = await connect(values, "flush", context);
  if (change) {
    // The flags name the alert integration here; only the destination-wide --base-url applies to changes.
    const { key: _alertKey, "push-url": _alertPushUrl, ...changeValues } = values;
    connections.change = await connectChange(changeValues, "flush", context);
  }
  return connections;
}
