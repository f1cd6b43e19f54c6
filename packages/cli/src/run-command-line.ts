import { askedOutput, type CommandLine, parseCommandLine } from "./args.js";
import { endpointOf } from "./cli-wording.js";
import type { CommandContext } from "./connection.js";
import { registerGivenSecrets } from "./environment-secrets.js";
import { formatReport, reportError } from "./error-report.js";
import { type ExitCode, failureExitCode } from "./exit-codes.js";
import { Output } from "./output.js";
import type { RunEnvironment } from "./run-environment.js";

/** Runs the command a parsed command line names; `deploy` may return its command's own status, any number. */
export type Dispatch = (commandLine: CommandLine, context: CommandContext) => Promise<ExitCode | number>;

function outputFor(commandLine: CommandLine | undefined, environment: RunEnvironment): Output {
  const values = commandLine && "values" in commandLine ? commandLine.values : {};
  return new Output(environment.stdout, environment.stderr, {
    json: values.json === true,
    quiet: values.quiet === true,
  });
}

/** The output a command line that could not be parsed asks for (see {@link askedOutput}). */
function outputForUnparsed(argv: readonly string[], environment: RunEnvironment): Output {
  return new Output(environment.stdout, environment.stderr, askedOutput(argv));
}

/**
 * The part of a run every command shares: registers the keys the process was given, parses `argv`, hands the
 * command line to `dispatch`, and turns any error into one line on stderr (JSON on stdout with `--json`) and its
 * exit code. Never throws.
 *
 * @param dispatch runs the parsed command (no default: {@link run} passes every command's)
 * @example
 * process.exitCode = await runCommandLine(["push", "--title", "t", "--status", "Info"], environment, dispatch);
 */
export async function runCommandLine(
  argv: readonly string[],
  environment: RunEnvironment,
  dispatch: Dispatch,
): Promise<ExitCode | number> {
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
    if (commandLine === undefined) output = outputForUnparsed(argv, environment);
    const report = reportError(error, endpointOf(commandLine?.kind));
    output.error(formatReport(report));
    output.data({ ok: false, error: report });
    return failureExitCode(report.code);
  }
}
