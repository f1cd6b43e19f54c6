import type { OcpValues } from "./args.js";
import type { CommandContext } from "./connection.js";
import { deliverOne } from "./deliver-one.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { ocpEvent } from "./ocp-event.js";
import { levelMapFrom, statusMapFrom } from "./ocp-mapping.js";
import { offsetFor } from "./time-zone.js";

/**
 * `flash-call ocp`: the OceanBase OCP channel-script mode. Reads the alarm from the environment, sends it
 * (or nothing, exit 0, for Blocked/Expired/suppressed alarms). OCP treats exit 0 as delivered and shows
 * stderr otherwise.
 *
 * @example
 * await ocpCommand({ tz: "Asia/Shanghai" }, context);
 */
export async function ocpCommand(values: OcpValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  const timeZone = values.tz ?? "UTC";
  offsetFor(timeZone); // Reject an unknown zone even when the alarm carries no time.
  const decision = ocpEvent({
    env: context.env,
    timeZone,
    statusMap: statusMapFrom(values["status-map"]),
    levelMap: levelMapFrom(values["level-map"]),
    ...(values.title !== undefined && { titleTemplate: values.title }),
  });
  for (const warning of decision.warnings) output.warn(warning);
  if (decision.kind === "skip") {
    output.result(`nothing sent: ${decision.reason}`);
    output.data({ ok: true, skipped: true, reason: decision.reason });
    return EXIT_CODES.delivered;
  }
  return deliverOne(values, "ocp", decision.event, context);
}
