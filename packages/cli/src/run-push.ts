import type { CommandLine } from "./args.js";
import type { CommandContext } from "./connection.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { runCommandLine } from "./run-command-line.js";
import type { RunEnvironment } from "./run-environment.js";

/** The command lines a `push …` argv parses to: the push itself, or its `--help` or `--version`. */
export type PushCommandLine = Extract<CommandLine, { kind: "help" | "version" | "push" }>;

/**
 * Runs a `push` command line, or prints the help or the version it asked for: the commands {@link runPush}
 * knows, and the part of `run`'s dispatch it shares.
 *
 * @example
 * await dispatchPush({ kind: "version" }, context); // prints "0.1.0", returns 0
 */
export async function dispatchPush(commandLine: PushCommandLine, context: CommandContext): Promise<ExitCode> {
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
  }
}

/**
 * `run` for an argv whose command word is `push` (the bin's push bundle, see push-process.ts): the same parse,
 * output and exit codes, with only `push` (and its help and version) bundled. Any other command line is an
 * unexpected error (exit 1): the bin sends none here.
 *
 * @example
 * process.exitCode = await runPush(["push", "--title", "t", "--status", "Info"], environment);
 */
export function runPush(argv: readonly string[], environment: RunEnvironment): Promise<ExitCode | number> {
  return runCommandLine(argv, environment, (commandLine, context) => {
    if (commandLine.kind !== "help" && commandLine.kind !== "version" && commandLine.kind !== "push")
      throw new Error(`the push bundle cannot run \`${commandLine.kind}\``);
    return dispatchPush(commandLine, context);
  });
}
