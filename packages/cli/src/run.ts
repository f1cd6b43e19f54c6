import type { CommandLine } from "./args.js";
import type { CommandContext } from "./connection.js";
import type { ExitCode } from "./exit-codes.js";
import { runCommandLine } from "./run-command-line.js";
import type { RunEnvironment } from "./run-environment.js";
import { dispatchPush } from "./run-push.js";

export type { RunEnvironment } from "./run-environment.js";

// `deploy` exits with its command's own status, which may be any number: hence `number` beside the CLI's codes.
async function dispatch(commandLine: CommandLine, context: CommandContext): Promise<ExitCode | number> {
  switch (commandLine.kind) {
    case "help":
    case "version":
    case "push":
      return dispatchPush(commandLine, context);
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
export function run(argv: readonly string[], environment: RunEnvironment): Promise<ExitCode | number> {
  return runCommandLine(argv, environment, dispatch);
}
