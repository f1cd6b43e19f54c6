import type { ResolveValues } from "./args.js";
import type { CommandContext } from "./connection.js";
import { deliverOne } from "./deliver-one.js";
import { eventFromFlags } from "./event-from-flags.js";
import type { ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

/**
 * `flash-call resolve`: sends `event_status: "Ok"` for `--alert-key`; the title defaults to the key, as the
 * SDK's `resolve` does when it has not seen the alert.
 *
 * @example
 * await resolveCommand({ "alert-key": "disk-db1" }, context); // 0
 */
export async function resolveCommand(values: ResolveValues, context: CommandContext): Promise<ExitCode> {
  const alertKey = values["alert-key"];
  if (alertKey === undefined || alertKey.trim() === "")
    throw new UsageError("--alert-key is required", "resolve");
  const event = eventFromFlags({ ...values, title: values.title ?? alertKey }, "Ok", "resolve");
  return deliverOne(values, "resolve", event, context);
}
