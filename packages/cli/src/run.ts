import { type CommandLine, parseCommandLine } from "./args.js";
import { endpointOf } from "./cli-wording.js";
import type { CommandContext, Transport } from "./connection.js";
import { registerGivenSecrets } from "./environment-secrets.js";
import { formatReport, reportError } from "./error-report.js";
import { EXIT_CODES, type ExitCode, failureExitCode } from "./exit-codes.js";
import { Output, type TextSink } from "./output.js";

/** The process around a run: arguments aside, what the command may read and write. */
export interface RunEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<string | Uint8Array>;
  /** Aborted when the command must stop (see listenForShutdown): pushes abort, the spool keeps the rest. @default never */
  stop?: AbortSignal | undefined;
  /**
   * How pushes go when no proxy is set: `"node-http"` (the bin's: node:http/node:https, see httpTransport), or
   * `"fetch"`, the runtime's global `fetch` looked up at each push (so an in-process caller's stub or polyfill is
   * honoured). @default "fetch"
   */
  transport?: Transport | undefined;
}

function outputFor(commandLine: CommandLine | undefined, environment: RunEnvironment): Output {
  const values = commandLine && "values" in commandLine ? commandLine.values : {};
  return new Output(environment.stdout, environment.stderr, {
    json: values.json === true,
    quiet: values.quiet === true,
  });
}

// `deploy` exits with its command's own status, which may be any number: hence `number` beside the CLI's codes.
async function dispatch(commandLine: CommandLine, context: CommandContext): Promise<ExitCode | number> {
  switch (commandLine.kind) {
    case "help": {
      const { helpText } = await import("./help.js");
      context.output.print(helpText(commandLine.command));
      return EXIT_CODES.delivered;
    }
    case "version": {
      const { VERSION } = await import("./version.js");
      context.output.print(VERSION);
      return EXIT_CODES.delivered;
    }
    case "push":
      return (await import("./push-command.js")).pushCommand(commandLine.values, context);
    case "resolve":
      return (await import("./resolve-command.js")).resolveCommand(commandLine.values, context);
    case "ocp":
      return (await import("./ocp-command.js")).ocpCommand(commandLine.values, context);
    case "flush":
      return (await import("./flush-command.js")).flushCommand(commandLine.values, context);
    case "mock":
      return (await import("./mock-command.js")).mockCommand(commandLine.values, context);
    case "change":
      return (await import("./change-command.js")).changeCommand(commandLine.values, context);
    case "deploy":
      return (await import("./deploy-command.js")).deployCommand(
        commandLine.values,
        commandLine.command,
        context,
      );
  }
}

/**
 * Runs `flash-call` with `argv` (without `node` and the script) and returns the exit code; never throws and
 * never prints a stack: usage and validation errors exit 2, anything unexpected exits 1 with one line.
 *
 * @example
 * process.exitCode = await run(["push", "--title", "t", "--status", "Info"], {
 *   env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin,
 * });
 */
export async function run(argv: readonly string[], environment: RunEnvironment): Promise<ExitCode | number> {
  let commandLine: CommandLine | undefined;
  let output = outputFor(undefined, environment);
  try {
    registerGivenSecrets(argv, environment.env);
    commandLine = parseCommandLine(argv);
    output = outputFor(commandLine, environment);
    return await dispatch(commandLine, {
      env: environment.env,
      output,
      stdin: environment.stdin,
      stop: environment.stop,
      transport: environment.transport,
    });
  } catch (error) {
    const report = reportError(error, endpointOf(commandLine?.kind));
    output.error(formatReport(report));
    output.data({ ok: false, error: report });
    return failureExitCode(report.code);
  }
}
