import type { PushValues } from "./args.js";
import type { CommandContext } from "./connection.js";
import { deliverOne } from "./deliver-one.js";
import { eventFromFlags } from "./event-from-flags.js";
import type { ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

/**
 * `flash-call push`: one event from flags, or a batch with `--file`.
 *
 * @example
 * await pushCommand({ title: "disk full", status: "Critical" }, context); // 0
 */
export async function pushCommand(values: PushValues, context: CommandContext): Promise<ExitCode> {
  if (values.file !== undefined) {
    for (const flag of ["title", "status", "alert-key", "description", "image", "event-time"] as const) {
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag} cannot be combined with --file`, "push");
    }
    const { batchCommand } = await import("./batch-command.js");
    return batchCommand(values, context);
  }
  if (values.status === undefined)
    throw new UsageError("--status is required (Critical, Warning, Info or Ok)", "push");
  const event = eventFromFlags(values, values.status, "push");
  return deliverOne(values, "push", event, context);
}
