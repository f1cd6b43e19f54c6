import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { ChangeEvent, ChangeStatus } from "@flash-call/core";
import { redact } from "@flash-call/keys";
import type { FlashCallChange } from "flash-call";
import type { DeployValues } from "./args.js";
import { connectChange } from "./change-connection.js";
import { type ChangeSender, changeSender } from "./change-delivery.js";
import { changeFromFlags } from "./change-from-flags.js";
import { type CommandContext, connectionFlags } from "./connection.js";
import { notRetriedReport, notSentReport } from "./delivery-reports.js";
import { type ErrorReport, formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, failureExitCode } from "./exit-codes.js";
import { flushHint, shellWord } from "./flush-hint.js";
import { quoteInput } from "./quote-input.js";
import { failureLines } from "./send-or-spool.js";
import { beforeImmediateExit, type ImmediateExitAccount, stopReason } from "./shutdown.js";
import { type AttemptGate, stopBetweenAttempts } from "./stop-between-attempts.js";
import { UsageError } from "./usage-error.js";

/** How a command ended: its exit status, or the signal that ended it. */
export interface CommandEnd {
  /**
   * The status `flash-call deploy` exits with: the command's own, 128 + the signal's number, or, when it could
   * not start, 127 (not found) or 126 (found but not executable), as in a shell.
   */
  status: number;
  /** For the change's description, e.g. `./deploy.sh exited with status 3`. */
  summary: string;
  /** Set when the command could not be started at all: nothing of it ran, and nothing of it said why. */
  notStarted?: true;
}

/**
 * Runs `command` with this process's stdin, stdout and stderr, passing the stop signal (SIGTERM, SIGINT,
 * SIGHUP) on to it; resolves when it ends. A command that cannot be started ends with status 127 when it is not
 * found and 126 otherwise (a directory, a file without execute permission), as in a shell.
 * A second stop signal, on which flash-call exits at once, is passed on too, and said, so the command is not left
 * running unnoticed. The signal goes to the command itself, not to a process group of its own: on POSIX, Node
 * gives a child its own group only as a new session (`detached`), which takes the terminal from it (a prompt
 * reading /dev/tty fails; Ctrl-Z and window resizes no longer reach it) and takes it out of flash-call's group,
 * so a SIGKILL to that group (`timeout -k`, a CI runner ending a job) would leave the deploy running with nobody
 * to report it. Ctrl-C in a terminal and `timeout` signal the whole group already; a script signalled by pid
 * passes the signal on itself (`exec`, or a `trap`). A stop signal that cannot be passed on (the command runs as
 * another user) is told to `warn`, and the wait goes on: the command was started, whatever it does with the signal.
 *
 * @param warn told when a stop signal could not be passed on @default nothing
 * @param started called once the command has started (Node's `spawn` event), never for one that could not
 * start @default nothing
 * @example
 * const end = await runCommand(["./deploy.sh", "prod"], stop); // { status: 0, summary: "./deploy.sh exited with status 0" }
 */
export function runCommand(
  command: readonly string[],
  stop: AbortSignal | undefined,
  warn: (message: string) => void = () => {},
  started: () => void = () => {},
): Promise<CommandEnd> {
  const [file = "", ...args] = command;
  const name = quoteInput(file);
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: "inherit" });
    child.once("spawn", started);
    const forward = () => {
      const signal = typeof stop?.reason === "string" ? (stop.reason as NodeJS.Signals) : "SIGTERM";
      child.kill(signal);
    };
    if (stop?.aborted) forward();
    else stop?.addEventListener("abort", forward, { once: true });
    const forget = beforeImmediateExit(stop, (signal) => {
      child.kill(signal);
      return { lines: [`passed ${signal} on to ${name} (pid ${child.pid}); it may still be running`] };
    });
    let settled = false;
    const end = (result: CommandEnd) => {
      if (settled) return;
      settled = true;
      forget();
      stop?.removeEventListener("abort", forward);
      resolve(result);
    };
    // Not only a start that failed: a stop signal that could not be passed on (EPERM, a command that made itself
    // root, as sudo does) is an error too, while the command runs on; its exit still ends the wait. Every one is
    // listened to: a second stop's kill may fail as well.
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) {
        warn(`could not pass the stop signal on to ${name} (${error.code ?? "error"}); it is still running`);
        return;
      }
      end({
        status: error.code === "ENOENT" ? 127 : 126,
        summary: `${name} could not be started (${error.code ?? "error"})`,
        notStarted: true,
      });
    });
    child.once("exit", (code, signal) => {
      if (signal !== null) {
        end({ status: 128 + (constants.signals[signal] ?? 0), summary: `${name} was ended by ${signal}` });
      } else end({ status: code ?? 1, summary: `${name} exited with status ${code}` });
    });
  });
}

/**
 * `flash-call deploy --title T --change-key K [--link URL] [--label k=v]... -- CMD [ARGS...]`: runs CMD (stdio
 * and stop signals passed through), sends a `Processing` change event once it has started, then `Done` when it
 * exits 0 or `Canceled` otherwise (its exit status in the description), and exits with CMD's own status. A CMD
 * that cannot start (not found, not executable) or a stop before it starts sends nothing: no change happened,
 * and stderr says so.
 *
 * The alerting path never blocks the deploy: CMD starts at once, `Processing` is sent while it runs; a missing
 * key or an unreachable Flashduty is reported on stderr and CMD runs all the same. With `--spool DIR` (or FLASH_CALL_SPOOL) each status is written ahead
 * and kept when it cannot be delivered (see changeSender); a status whose change already waits in the spool
 * is spooled behind it, so `flush` delivers Processing before Done or Canceled. A stop signal while Processing is
 * being sent does not cut its request short (Flashduty could still apply it after the final status): the attempt
 * in flight is let finish, within `--timeout`, with no retry after it, and the final status follows once it has
 * settled; stderr says so. The exit status stays CMD's;
 * the flush command is printed when anything was spooled. Only a usage or validation error (no command, no
 * title, an invalid label) stops before CMD starts (exit 2). Its own lines go to stderr: stdout is CMD's.
 *
 * @example
 * process.exitCode = await deployCommand({ title: "Deploy v2", "change-key": "deploy-42" }, ["./deploy.sh"], context);
 */
export async function deployCommand(
  values: DeployValues,
  command: readonly string[],
  context: CommandContext,
): Promise<number> {
  const { output, stop } = context;
  if (command.length === 0) {
    throw new UsageError(
      "put the command to run after --, e.g. flash-call deploy --title T --change-key K -- ./deploy.sh",
      "deploy",
    );
  }
  const flags = connectionFlags(values, "deploy", output);
  const eventOf = (status: ChangeStatus, note?: string): FlashCallChange => {
    const change = changeFromFlags(values, status, "deploy");
    if (note !== undefined) change.description = [values.description, note].filter(Boolean).join("\n");
    return change;
  };
  const { prepareChange } = await import("flash-call");
  const invalid = (error: unknown) => {
    const report = reportError(error, "change");
    output.error(formatReport(report));
    output.data({ ok: false, error: report });
    return failureExitCode(report.code);
  };
  try {
    // Checked before anything runs: an invalid change is the caller's to fix, and nothing is sent.
    const prepared = prepareChange(eventOf("Processing")).event;
    if (values["dry-run"] === true) {
      output.print(JSON.stringify(prepared, null, 2));
      return EXIT_CODES.delivered;
    }
  } catch (error) {
    return invalid(error);
  }
  const say = (line: string) => {
    if (!output.quiet) output.error([line]);
  };

  // Processing's guard against a stop cutting its request short; its hooks go to the instance that sends it.
  const processingGate = stopBetweenAttempts();
  let sender: ChangeSender | undefined;
  try {
    sender = await changeSender(
      await connectChange(values, "deploy", context, flags, processingGate.hooks),
      values,
      context,
    );
  } catch (error) {
    output.error([
      ...formatReport(reportError(error, "change")),
      "no change events will be sent; running the command anyway",
    ]);
  }
  let spooled = 0;
  // Each delivered status's request_id: the final one's goes in the --json document, as every command's result does.
  const requestIds = new Map<string, string>();
  let final: { status: ChangeStatus; note?: string } | undefined;
  let forgetFinal = () => {};
  let processing: Promise<boolean> = Promise.resolve(false);
  /** Sends one status; `gate`, when given, keeps a stop from cutting its request short (see stopBetweenAttempts). */
  const send = async (change: FlashCallChange, gate?: AttemptGate) => {
    if (sender === undefined) return false;
    const subject = `change ${change.change_key} ${change.change_status}`;
    let prepared: ChangeEvent;
    try {
      prepared = sender.prepare(change);
    } catch (error) {
      output.error([`${subject} not delivered:`, ...formatReport(reportError(error, "change"))]);
      return false;
    }
    const signal = gate?.open(stop, () =>
      say(
        `stopped by ${stopReason(stop)} while ${subject} was being sent: waiting for its answer (at most --timeout), with no retry, so that the final status follows it`,
      ),
    );
    let delivery: Awaited<ReturnType<ChangeSender["send"]>>;
    try {
      delivery = await sender.send(prepared, signal);
    } finally {
      gate?.release();
    }
    // A stop that kept the status from being retried: its last attempt's failure says why it was not delivered.
    const cutAfter = gate?.cutAfter;
    const shown = (report: ErrorReport) =>
      cutAfter === undefined
        ? report
        : notRetriedReport(stopReason(stop) ?? "a stop signal", reportError(cutAfter, "change"));
    switch (delivery.outcome) {
      case "delivered":
        requestIds.set(change.change_status, delivery.result.request_id);
        say(`${subject} delivered (request_id=${delivery.result.request_id})`);
        return true;
      case "spooled":
        spooled += 1;
        output.error([
          `${subject} not delivered:`,
          ...formatReport(shown(delivery.report)),
          `spooled as ${delivery.name} in ${sender.directory}`,
        ]);
        return false;
      case "failed":
        output.error([
          `${subject} not delivered:`,
          ...failureLines({ ...delivery, report: shown(delivery.report) }),
        ]);
        return false;
    }
  };

  // A stop before the command starts starts nothing and sends nothing: no change happened.
  const reason = typeof stop?.reason === "string" ? stop.reason : "SIGTERM";
  const end: CommandEnd = stop?.aborted
    ? {
        status: 128 + (constants.signals[reason as NodeJS.Signals] ?? 15),
        summary: `stopped by ${reason} before ${quoteInput(command[0] ?? "")} started`,
        notStarted: true,
      }
    : await runCommand(
        command,
        stop,
        (message) => output.warn(message),
        () => {
          // Once the command has started, its final status is sent whatever follows, after Processing; a second
          // stop, which exits at once, spools it or says how to send it.
          forgetFinal = beforeImmediateExit(stop, (signal) => {
            const { status, note } = final ?? {
              status: "Canceled",
              note: `stopped by ${signal} while ${quoteInput(command[0] ?? "")} was running`,
            };
            return closeBeforeExit(sender, eventOf(status, note), signal, values["base-url"]);
          });
          // A stop lets its attempt in flight finish and stops its retries (spooled then, with a spool).
          processing = send(eventOf("Processing"), processingGate);
          // Awaited only once the command has ended: marked handled now, so that a rejection while the command
          // runs is not an unhandled one that ends the CLI mid-deploy (the await below still sees it).
          processing.catch(() => {});
        },
      );
  if (end.notStarted) {
    // Nothing else tells the user why the deploy failed, as nothing was sent: said even with --quiet.
    output.error([`${end.summary}; the deploy did not run, and no change was sent`]);
    output.data({ ok: false, change_key: values["change-key"], exit_status: end.status, started: false });
    return end.status;
  }
  const ending: { status: ChangeStatus; note?: string } =
    end.status === 0 ? { status: "Done" } : { status: "Canceled", note: end.summary };
  final = ending;
  // In order: the final status goes after Processing has been delivered or has failed.
  await processing;
  const delivered = await send(eventOf(ending.status, ending.note));
  forgetFinal();
  const requestId = delivered ? requestIds.get(ending.status) : undefined;
  output.data({
    ok: delivered,
    change_key: values["change-key"],
    change_status: ending.status,
    ...(requestId !== undefined && { request_id: requestId }),
    exit_status: end.status,
    ...(spooled > 0 && { spooled }),
  });
  if (spooled > 0 && sender?.directory !== undefined) output.error([flushHint(sender.directory)]);
  return end.status;
}

/**
 * The final status of a deploy that a second stop signal ends at once: written to the spool synchronously and
 * durably when there is one (a flush sends it after Processing), else the command that sends it. If its own send
 * had already written it ahead, the flush sends it twice; Flashduty keeps the change's last status, the same.
 */
function closeBeforeExit(
  sender: ChangeSender | undefined,
  change: FlashCallChange,
  signal: string,
  baseUrl: string | undefined,
): ImmediateExitAccount | undefined {
  if (sender === undefined) return undefined;
  // These lines go straight to stderr, past the output's redaction: mask keys here.
  const subject = `change ${redact(change.change_key)} ${change.change_status}`;
  const report = notSentReport(signal, true, "the command ended");
  let problem = "no --spool, so it was not kept";
  try {
    const prepared = sender.prepare(change);
    if (sender.spoolNow !== undefined && sender.directory !== undefined) {
      const name = sender.spoolNow(prepared, report);
      return {
        lines: [
          `${subject} ${report.message}; spooled as ${name} in ${sender.directory}; ${flushHint(sender.directory)}`,
        ],
      };
    }
  } catch (error) {
    problem = `could not spool it: ${reportError(error, "change").message}`;
  }
  const words = [
    "flash-call change",
    `--change-key ${shellWord(redact(change.change_key))}`,
    `--title ${shellWord(redact(change.title))}`,
    `--status ${change.change_status}`,
    ...(baseUrl === undefined ? [] : [`--base-url ${shellWord(redact(baseUrl))}`]),
  ];
  return {
    lines: [`${subject} ${report.message} (${problem}); to send it, run: ${words.join(" ")}`],
  };
}
