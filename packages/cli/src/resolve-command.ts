import type { ResolveValues } from "./args.js";
import { type CommandContext, connect, spoolDirectory } from "./connection.js";
import { deliverOne } from "./deliver-one.js";
import { eventFromFlags } from "./event-from-flags.js";
import type { ExitCode } from "./exit-codes.js";
import { configuredBase } from "./spool-destination.js";
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
  const flashCall = await connect(values, "resolve", context);
  const directory = spoolDirectory(values, context.env);
  return deliverOne(flashCall, event, context, {
    dryRun: values["dry-run"] === true,
    spool: directory === undefined ? undefined : { directory, baseUrl: configuredBase(values, context.env) },
  });
}
