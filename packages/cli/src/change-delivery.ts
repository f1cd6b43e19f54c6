import type { ChangeEvent } from "@flash-call/core";
import type { ChangeResult, FlashCallChange } from "flash-call";
import type { CommonValues } from "./args.js";
import { type CommandContext, type Connection, spoolDirectory } from "./connection.js";
import { spoolReason } from "./delivery-reports.js";
import type { ErrorReport } from "./error-report.js";
import { type Delivery, type SpoolTarget, sendOrSpool, spoolTarget } from "./send-or-spool.js";
import { type PendingKeys, pendingKeysOrWarn } from "./spool-contents.js";

/** Sends the change events of one command, in order, through the spool when there is one. */
export interface ChangeSender {
  /** The spool directory (`--spool` or FLASH_CALL_SPOOL), if any. */
  directory: string | undefined;
  /**
   * The change exactly as it would be sent (validated, truncated, truncations said on stderr), so that what
   * is spooled is what a flush sends. Throws the validation error.
   */
  prepare(change: FlashCallChange): ChangeEvent;
  /**
   * Sends one prepared change (see sendOrSpool): delivered, spooled (written ahead and kept, or queued behind
   * an earlier spooled event of its change_key) or failed. `stop` aborts it; without one it runs to its end.
   */
  send(change: ChangeEvent, stop?: AbortSignal): Promise<Delivery<ChangeResult>>;
  /**
   * With a spool: writes the prepared change to it synchronously and durably, unsent, with `report` as its
   * reason, and returns its spool name (throws what the write threw). For the last moment before an immediate
   * exit, when nothing asynchronous would ever finish.
   */
  spoolNow?: (change: ChangeEvent, report: ErrorReport) => string;
}

/**
 * How `change` and `deploy` send: each change through sendOrSpool with the command's spool (`--spool` or
 * FLASH_CALL_SPOOL) and its change destination recorded, so `flush` sends it to the change integration
 * only. A change whose change_key already has an event in the spool — from an earlier run, or spooled by this
 * one (a deploy's Processing) — is spooled behind it unsent, so a flush delivers a change's statuses in order.
 * The spool is read once, when the sender is made.
 *
 * @example
 * const sender = await changeSender(connection, values, context);
 * const delivery = await sender.send(prepared, context.stop);
 */
export async function changeSender(
  connection: Connection,
  values: CommonValues,
  context: CommandContext,
): Promise<ChangeSender> {
  const warn = (message: string) => context.output.warn(message);
  const directory = spoolDirectory(values, context.env);
  const { baseUrl } = connection.destination;
  const spool: SpoolTarget | undefined =
    directory === undefined ? undefined : spoolTarget(directory, baseUrl);
  const pending: PendingKeys | undefined =
    directory === undefined ? undefined : await pendingKeysOrWarn(directory, warn);
  const spooledKeys = new Set<string>();
  // Loaded now, with a spool only: spoolNow runs where an import could never finish.
  const writer = spool === undefined ? undefined : await import("./spool-write.js");
  return {
    directory,
    ...(spool !== undefined &&
      writer !== undefined && {
        spoolNow: (change: ChangeEvent, report: ErrorReport) =>
          writer.writeSpoolEntrySync(
            spool.directory,
            { endpoint: "change", event: change, base_url: spool.baseUrl, reason: spoolReason(report) },
            undefined,
            spool.naming,
          ),
      }),
    prepare: (change) => connection.flashCall.prepareChange(change).event,
    async send(change, stop) {
      const delivery = await sendOrSpool(
        { endpoint: "change", event: change },
        {
          send: (ready) =>
            connection.flashCall.change(ready, stop === undefined ? undefined : { signal: stop }),
          spool,
          waitsBehind: (key) => spooledKeys.has(key) || pending?.has(key, "change") === true,
          stop,
          warn,
        },
      );
      if (delivery.outcome === "spooled") spooledKeys.add(change.change_key);
      return delivery;
    },
  };
}
