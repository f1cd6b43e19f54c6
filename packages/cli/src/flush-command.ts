import { resolveKey } from "@flash-call/keys";
import type { FlushValues } from "./args.js";
import { type CommandContext, connect, destinationOptions, spoolDirectory } from "./connection.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { claimedNames, claimSpoolFile, listSpool, recoverStaleClaims, spoolNameTag } from "./spool.js";
import { configuresDestination } from "./spool-destination.js";
import { UsageError } from "./usage-error.js";

/**
 * `flash-call flush`: re-sends spooled events oldest first, deleting each once delivered. Stops at the
 * first retryable failure so order is kept (exit 3, the rest stay spooled); a server rejection is kept as
 * `<file>.rejected` and skipped (exit 1). Each file is claimed by an atomic rename, so concurrent flushes
 * never send one event twice.
 *
 * @example
 * await flushCommand({ spool: "/var/spool/flash-call" }, context); // 0 when the spool is now empty
 */
export async function flushCommand(values: FlushValues, context: CommandContext): Promise<ExitCode> {
  const { output } = context;
  const directory = spoolDirectory(values, context.env);
  if (directory === undefined) throw new UsageError("--spool DIR (or FLASH_CALL_SPOOL) is required", "flush");
  const dryRun = values["dry-run"] === true;
  const flashCall = await connect(values, "flush", context);
  // Fail before claiming anything when no key is configured (exit 2, spool untouched).
  const destination = destinationOptions(values, context.env);
  if (!dryRun && destination.pushUrl === undefined) resolveKey(destination.integrationKey);
  const useStoredBase = !configuresDestination(values, context.env);

  const recovered = await recoverStaleClaims(directory);
  if (recovered > 0) output.warn(`recovered ${recovered} spool file(s) claimed by a flush that died`);
  let delivered = 0;
  let rejected = 0;
  let stopped = false;
  // Alerts another flush is sending an event of: their later events wait, or they could overtake it.
  const busy = new Set<string>();
  const holdBack = (name: string) => {
    const tag = spoolNameTag(name);
    if (tag !== undefined) busy.add(tag);
  };
  for (const name of await claimedNames(directory)) holdBack(name);
  for (const name of await listSpool(directory)) {
    const tag = spoolNameTag(name);
    if (tag !== undefined && busy.has(tag)) continue;
    let claim: Awaited<ReturnType<typeof claimSpoolFile>>;
    try {
      claim = await claimSpoolFile(directory, name);
    } catch (error) {
      output.error(formatReport(reportError(error), name));
      rejected += 1;
      continue;
    }
    if (claim === undefined) {
      holdBack(name); // Another flush has it: this alert's later events are its to send.
      continue;
    }
    if (dryRun) {
      output.print(JSON.stringify(claim.entry.event));
      await claim.release();
      continue;
    }
    const baseUrl = useStoredBase ? claim.entry.base_url : undefined;
    try {
      const result = await flashCall.push(claim.entry.event, baseUrl === undefined ? {} : { baseUrl });
      await claim.complete();
      delivered += 1;
      output.result(`delivered ${name} alert_key=${result.data.alert_key} request_id=${result.request_id}`);
    } catch (error) {
      const report = reportError(error);
      if (report.retryable) {
        await claim.release();
        output.error([...formatReport(report, name), "kept in the spool; stopping so order is kept"]);
        stopped = true;
        break;
      }
      await claim.reject();
      rejected += 1;
      output.error([...formatReport(report, name), `kept as ${name}.rejected; it will not be retried`]);
    }
  }
  const left = (await listSpool(directory)).length;
  output.result(`flush: ${delivered} delivered, ${rejected} rejected, ${left} left in ${directory}`);
  output.data({ ok: rejected === 0 && !stopped, delivered, rejected, left });
  if (rejected > 0) return EXIT_CODES.failed;
  return stopped ? EXIT_CODES.spooled : EXIT_CODES.delivered;
}
