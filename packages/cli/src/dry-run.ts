import type { AlertEvent } from "@flash-call/core";
import type { FlashCallEvent } from "flash-call";
import type { CommandName, CommonValues } from "./args.js";
import { commandDestination } from "./command-destination.js";
import { type CommandContext, connectionFlags } from "./connection.js";
import { reportError } from "./error-report.js";
import { proxySettings } from "./proxy-settings.js";

/**
 * Warns when the environment's proxy variables would stop a real run (see proxySettings): a dry run sends
 * nothing, so it does not fail on them, but it says what a real run would.
 *
 * @example
 * checkDryRunProxy(context); // with HTTPS_PROXY=proxy (no port): "dry run only: HTTPS_PROXY has neither …"
 */
export function checkDryRunProxy(context: Pick<CommandContext, "env" | "output">): void {
  try {
    proxySettings(context.env);
  } catch (error) {
    context.output.warn(`dry run only: ${reportError(error).message} A real run would stop here (exit 2).`);
  }
}

/**
 * Checks what a dry run can check without sending: the connection flags (a bad `--timeout` is still exit 2).
 * The key is not needed — a dry run sends nothing, so a script can be tried before the real key is in — but
 * when the configured one, or a proxy variable, would stop a real run, a warning says so.
 *
 * @example
 * checkDryRun(values, "ocp", context); // warns "dry run only: … a real run would stop here"
 */
export function checkDryRun(values: CommonValues, command: CommandName, context: CommandContext): void {
  connectionFlags(values, command, context.output);
  try {
    commandDestination(values, context.env);
  } catch (error) {
    context.output.warn(`dry run only: ${reportError(error).message} A real run would stop here (exit 2).`);
  }
  checkDryRunProxy(context);
}

/**
 * An event exactly as the SDK would send it (validated, labels merged, long fields truncated as Flashduty
 * would, a key written into it masked), without a key or an SDK instance: the CLI's instance adds nothing a key
 * would change. Truncations and masked fields are said through `warn`, as the instance's logger would.
 *
 * @throws FlashdutyValidationError listing every issue, as a send would
 * @example
 * const event = await dryRunEvent({ title_rule: "t", event_status: "Info" }, output.warn);
 */
export async function dryRunEvent(
  event: FlashCallEvent,
  warn: (message: string) => void,
): Promise<AlertEvent> {
  const { prepareEvent, preparationWarnings } = await import("flash-call");
  const prepared = prepareEvent(event);
  for (const line of preparationWarnings(prepared)) warn(line);
  return prepared.event;
}
