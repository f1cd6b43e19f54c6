import type { FlashCallEvent } from "flash-call";
import type { CommandName, CommonValues } from "./args.js";
import { type CommandContext, connect, spoolDirectory } from "./connection.js";
import { checkDryRun, dryRunEvent } from "./dry-run.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode, failureExitCode } from "./exit-codes.js";
import { reportUndelivered, sendOrSpool, spoolTarget } from "./send-or-spool.js";
import { pendingKeysOrWarn } from "./spool-contents.js";

/**
 * Sends one event and reports it: the result on stdout (`alert_key`, `request_id`; JSON with `--json`), an
 * error on stderr (code, message, `request_id`, hint). The key is resolved and the event validated first, so
 * a configuration or input error sends nothing (exit 2). With a spool (see sendOrSpool) a failure worth
 * retrying later or a stop signal leaves the event there for `flush` (exit 3), as does an earlier spooled event
 * of its alert; any other failure exits 1. Without a spool, a stop signal ends the push with one line saying
 * it was not delivered (exit 1). `--dry-run` prints the prepared event and needs no key.
 *
 * @example
 * process.exitCode = await deliverOne(values, "push", event, context);
 */
export async function deliverOne(
  values: CommonValues,
  command: CommandName,
  event: FlashCallEvent,
  context: CommandContext,
): Promise<ExitCode> {
  const { output, stop } = context;
  const warn = (message: string) => output.warn(message);
  const invalid = (error: unknown) => {
    const report = reportError(error);
    output.error(formatReport(report));
    output.data({ ok: false, error: report });
    return failureExitCode(report.code);
  };
  if (values["dry-run"] === true) {
    checkDryRun(values, command, context);
    let prepared: Awaited<ReturnType<typeof dryRunEvent>>;
    try {
      prepared = await dryRunEvent(event, warn);
    } catch (error) {
      return invalid(error);
    }
    output.print(output.json ? JSON.stringify(prepared) : JSON.stringify(prepared, null, 2));
    return EXIT_CODES.delivered;
  }
  // One event, one request: the bin's transport without node:http's start-up (see socketTransport).
  const oneRequest: CommandContext =
    context.transport === "node-http" ? { ...context, transport: "node-socket" } : context;
  const { flashCall, destination } = await connect(values, command, oneRequest);
  let prepared: ReturnType<typeof flashCall.prepare>;
  try {
    prepared = flashCall.prepare(event);
  } catch (error) {
    return invalid(error);
  }
  const directory = spoolDirectory(values, context.env);
  const delivery = await sendOrSpool(
    { event: prepared.event },
    {
      send: (ready) => flashCall.push(ready, stop === undefined ? undefined : { signal: stop }),
      spool: directory === undefined ? undefined : spoolTarget(directory, destination.baseUrl),
      waitsBehind: async (alertKey) =>
        directory !== undefined && (await pendingKeysOrWarn(directory, warn))?.has(alertKey) === true,
      stop,
      warn,
    },
  );
  if (delivery.outcome !== "delivered") return reportUndelivered(delivery, directory, output);
  const { request_id, data } = delivery.result;
  output.result(`delivered alert_key=${data.alert_key} request_id=${request_id}`);
  output.data({ ok: true, alert_key: data.alert_key, request_id });
  return EXIT_CODES.delivered;
}
