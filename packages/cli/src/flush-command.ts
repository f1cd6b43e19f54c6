import type { PushEndpoint } from "@flash-call/keys";
import type { FlushValues } from "./args.js";
import { type CommandContext, type Connection, spoolDirectory } from "./connection.js";
import { spoolReason, stopReport } from "./delivery-reports.js";
import { checkDryRun } from "./dry-run.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { failureScope, isUncodedRefusal } from "./failure-scope.js";
import { configurationAdvice, connectFlush } from "./flush-connections.js";
import type { Output } from "./output.js";
import { listSetAside, restoreSetAside } from "./set-aside.js";
import { stopReason } from "./shutdown.js";
import { claimSpoolFile, type SpoolClaim, UnreadableEntryError } from "./spool-claim.js";
import { claimedNames, listSpool } from "./spool-contents.js";
import { destinationMismatch } from "./spool-destination.js";
import { checkSpoolDirectory } from "./spool-directory.js";
import type { SpooledEvent } from "./spool-entry.js";
import { nameEndpoint, parseClaimName, spoolNameTag } from "./spool-name.js";
import { recoverStaleClaims } from "./spool-recovery.js";
import { UsageError } from "./usage-error.js";

/** Why a flush stopped sending: all of it (a signal), or one endpoint's events (about its key, or busy). */
type Halt = "destination" | "transient" | "signal";

/** The field that names a spooled event in the lines a flush prints: its alert_key or its change_key. */
function eventLabel(spooled: Pick<SpooledEvent, "endpoint"> & { event?: unknown }): string {
  const event = (typeof spooled.event === "object" && spooled.event !== null ? spooled.event : {}) as {
    alert_key?: unknown;
    change_key?: unknown;
  };
  const [field, value] =
    spooled.endpoint === "change" ? ["change_key", event.change_key] : ["alert_key", event.alert_key];
  return `${field}=${typeof value === "string" ? value : "(none)"}`;
}

/**
 * `value` as JSON text, or the error that kept it from being written: a spool file nested deeper than
 * JSON.stringify can go (planted: no entry flash-call writes is nested at all) throws a RangeError.
 */
function jsonText(value: unknown): { text: string } | { error: unknown } {
  try {
    return { text: JSON.stringify(value) };
  } catch (error) {
    return { error };
  }
}

/**
 * `flash-call flush --list-set-aside`: prints the set-aside events (name, alert_key or change_key, reason),
 * oldest first; with `--json`, one document `{ set_aside: [...] }`. Sends nothing and needs no key.
 */
async function printSetAside(directory: string, output: Output): Promise<ExitCode> {
  const entries = await listSetAside(directory);
  for (const entry of entries) {
    const { name, reason } = entry;
    const why = reason === undefined ? "reason not recorded" : `${reason.code}: ${reason.message}`;
    output.result(`${name} ${eventLabel(entry)} ${why}`);
  }
  output.result(
    `${entries.length} set aside in ${directory}; send them again with: flash-call flush --retry-set-aside`,
  );
  // An event that cannot be written as JSON is listed without it, as an unreadable file's is, rather than
  // making the whole document unprintable.
  const listed = entries.map(({ event, ...rest }) =>
    event !== undefined && "text" in jsonText(event) ? { ...rest, event } : rest,
  );
  output.data({ ok: true, set_aside: listed });
  return EXIT_CODES.delivered;
}

/** Sends one spooled event with its endpoint's connection; answers the line that says it was delivered. */
async function sendEntry(
  spooled: SpooledEvent,
  connection: Connection,
  stop: AbortSignal | undefined,
): Promise<string> {
  const call = stop === undefined ? undefined : { signal: stop };
  if (spooled.endpoint === "change") {
    const answer = await connection.flashCall.change(spooled.event, call);
    return `${eventLabel(spooled)} request_id=${answer.request_id}`;
  }
  const result = await connection.flashCall.push(spooled.event, call);
  return `alert_key=${result.data.alert_key} request_id=${result.request_id}`;
}

/**
 * `flash-call flush`: re-sends spooled events oldest first, each to the destination this flush's own
 * configuration names for its endpoint (see connectFlush: alert events to the alert integration, change events
 * to the change integration; never one read from a file, never one endpoint's event with the other's key),
 * deleting each once delivered. An event spooled for another destination is kept and reported (exit 1), as are
 * the events of an endpoint this flush has no key for (with what to set). A failure about the key, the
 * account or the destination (401, 403, 404, redirects, network, timeout) stops that endpoint's events at once
 * and leaves them untouched (exit 1); Flashduty busy or failing (429, 5xx) stops them too (exit 3); only a
 * refusal of one event's content sets that event aside (`<file>.rejected` plus `<file>.reason.json`; exit 1),
 * never to be sent again unless `--retry-set-aside` puts it back; a 400 without Flashduty's code that the next
 * event of its endpoint meets too is the way's, not the events': that event is put back and the endpoint stops. A stop signal aborts the push in flight and
 * keeps it (exit 3, unless an event was set aside or kept for someone to act on, or an endpoint stopped at its
 * key or destination, before it: the most serious outcome wins, exit 1). Each file is claimed by an atomic rename, so concurrent flushes never send one event
 * twice, and an alert's (a change's) events go in order, one at a time.
 *
 * @example
 * await flushCommand({ spool: "/var/spool/flash-call" }, context); // 0 when the spool is now empty
 */
export async function flushCommand(values: FlushValues, context: CommandContext): Promise<ExitCode> {
  const { output, stop } = context;
  const directory = spoolDirectory(values, context.env);
  if (directory === undefined) throw new UsageError("--spool DIR (or FLASH_CALL_SPOOL) is required", "flush");
  if (values["list-set-aside"] && values["retry-set-aside"]) {
    throw new UsageError("--list-set-aside and --retry-set-aside cannot be combined", "flush");
  }
  await checkSpoolDirectory(directory, (message) => output.warn(message));
  if (values["list-set-aside"]) return printSetAside(directory, output);
  const dryRun = values["dry-run"] === true;
  // Fails before anything is claimed when no key is configured (exit 2, spool untouched); a dry run needs none.
  const connections = dryRun ? undefined : await connectFlush(values, context);
  if (dryRun) checkDryRun(values, "flush", context);

  if (values["retry-set-aside"] && !dryRun) {
    let restored = 0;
    for (const { name } of await listSetAside(directory)) {
      if (await restoreSetAside(directory, name)) restored += 1;
    }
    output.result(`put ${restored} set-aside event(s) back in the spool`);
  }
  let delivered = 0;
  let setAside = 0;
  let kept = 0;
  const recovered = await recoverStaleClaims(directory, (file, error) => {
    kept += 1;
    output.error([
      `${file}: left by a process that died, and could not be put back in the spool (${reportError(error).message}); not sent: once ${parseClaimName(file)?.name ?? "its name"} is free, rename it to that, or delete it`,
    ]);
  });
  if (recovered > 0) output.warn(`recovered ${recovered} spool file(s) claimed by a process that died`);
  let signalled = false;
  // Endpoints whose events stop here: every later event of theirs stays where it is, untouched.
  const halted = new Map<PushEndpoint, Exclude<Halt, "signal">>();
  // Events of endpoints this flush has no key for, left unopened.
  const unconfigured = new Map<PushEndpoint, number>();
  // Alerts (changes) another process is sending an event of, or whose earlier event stays here: their later
  // events wait, or they could overtake it.
  const busy = new Set<string>();
  // By endpoint, the event its latest send set aside for a 400 without Flashduty's code (see isUncodedRefusal): if
  // the next event is refused the same way, the way refuses every event, and that one is put back.
  const uncodedSetAside = new Map<PushEndpoint, string>();
  const holdBack = (name: string) => {
    const tag = spoolNameTag(name);
    if (tag !== undefined) busy.add(tag);
  };
  for (const name of await claimedNames(directory)) holdBack(name);
  for (const name of await listSpool(directory)) {
    const tag = spoolNameTag(name);
    if (tag !== undefined && busy.has(tag)) continue;
    const endpoint = nameEndpoint(name);
    if (halted.has(endpoint)) continue;
    if (connections !== undefined && connections[endpoint] === undefined) {
      unconfigured.set(endpoint, (unconfigured.get(endpoint) ?? 0) + 1);
      kept += 1;
      continue;
    }
    let claim: SpoolClaim | undefined;
    try {
      claim = await claimSpoolFile(directory, name);
    } catch (error) {
      output.error(formatReport(reportError(error), name));
      if (error instanceof UnreadableEntryError) setAside += 1;
      else {
        // Still in the spool (refused, or the file system failed us): its alert's later events wait behind it.
        kept += 1;
        holdBack(name);
      }
      continue;
    }
    if (claim === undefined) {
      holdBack(name); // Another flush has it: this alert's (change's) later events are its to send.
      continue;
    }
    const connection = connections?.[endpoint];
    if (connection === undefined) {
      // One that cannot be written as JSON is said, and the dry run goes on, its claim put back.
      const shown = jsonText(claim.entry.event);
      if ("text" in shown) output.print(shown.text);
      else {
        kept += 1;
        output.error([
          `${name}: not shown: its event cannot be written as JSON (${reportError(shown.error).message})`,
        ]);
      }
      await claim.release();
      continue;
    }
    const mismatch = destinationMismatch(claim.entry.base_url, connection.destination.baseUrl);
    if (mismatch !== undefined) {
      await claim.release();
      kept += 1;
      holdBack(name);
      output.error([
        `${name}: not sent, kept in the spool: it was spooled for ${mismatch.recorded} and this flush sends ${endpoint} events to ${mismatch.configured}; a key goes only where its own configuration points (flush with that destination's key, or delete the file)`,
      ]);
      continue;
    }
    try {
      if (stop?.aborted) throw stop.reason;
      const sent = await sendEntry(claim.entry, connection, stop);
      uncodedSetAside.delete(endpoint);
      await claim.complete();
      delivered += 1;
      output.result(`delivered ${name} ${sent}`);
    } catch (error) {
      const signal = stopReason(stop);
      if (signal !== undefined) {
        await claim.release();
        output.error([...formatReport(stopReport(signal, error, stop?.reason), name), "kept in the spool"]);
        signalled = true;
        break;
      }
      const report = reportError(error);
      const scope = failureScope(error);
      const previous = uncodedSetAside.get(endpoint);
      uncodedSetAside.delete(endpoint);
      if (previous !== undefined && isUncodedRefusal(error)) {
        // Two events in a row refused without Flashduty's code: the way refuses them, not their content.
        await claim.release();
        if (await restoreSetAside(directory, previous)) setAside -= 1;
        output.error([
          ...formatReport(report, name),
          `stopping the ${endpoint} events: ${previous} was refused the same way just before it, so this comes from something on the way (a proxy, a load balancer), not from these events; both are kept in the spool, with every ${endpoint} event, untouched`,
        ]);
        halted.set(endpoint, "destination");
        continue;
      }
      if (scope === "event") {
        if (isUncodedRefusal(error)) uncodedSetAside.set(endpoint, name);
        await claim.setAside(spoolReason(report));
        setAside += 1;
        output.error([
          ...formatReport(report, name),
          `set aside as ${name}.rejected (reason in ${name}.reason.json); not sent again unless: flash-call flush --retry-set-aside`,
        ]);
        continue;
      }
      await claim.release();
      output.error([
        ...formatReport(report, name),
        scope === "transient"
          ? `kept in the spool; no more ${endpoint} events now, so order is kept`
          : `stopping the ${endpoint} events: this is about the key, the account or the destination, not this event; every ${endpoint} event is kept in the spool, untouched`,
      ]);
      halted.set(endpoint, scope);
    }
  }
  for (const [endpoint, count] of unconfigured) {
    output.error([
      `${count} ${endpoint} event(s) not sent, kept in the spool: this flush has no key for the ${endpoint} integration; ${configurationAdvice(endpoint)}, then flush again`,
    ]);
  }
  const left = (await listSpool(directory)).length;
  output.result(
    `flush: ${delivered} delivered, ${setAside} set aside, ${kept} kept, ${left} left in ${directory}`,
  );
  const halts = [...halted.values()];
  const halt: Halt | undefined = signalled
    ? "signal"
    : halts.includes("destination")
      ? "destination"
      : halts[0];
  output.data({
    ok: setAside === 0 && kept === 0 && halt === undefined,
    delivered,
    set_aside: setAside,
    kept,
    left,
    ...(halt !== undefined && { stopped: halt }),
    ...(unconfigured.size > 0 && { not_configured: [...unconfigured.keys()] }),
  });
  // The most serious outcome, as a batch's: an event set aside, kept for a person to act, or an endpoint stopped by
  // its key or destination waits for someone, whatever came after it. A stop signal alone leaves what is left
  // safe in the spool, which is what 3 says.
  if (halts.includes("destination") || setAside > 0 || kept > 0) return EXIT_CODES.failed;
  if (halt === "signal") return left > 0 ? EXIT_CODES.spooled : EXIT_CODES.delivered;
  return halt === "transient" ? EXIT_CODES.spooled : EXIT_CODES.delivered;
}
