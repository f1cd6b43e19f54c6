import type { ExitCode } from "./exit-codes.js";
import type { RunEnvironment } from "./run-environment.js";
import { listenForShutdown } from "./shutdown.js";
import { transportForProcess } from "./transport-choice.js";

/** How {@link startProcess} runs the command line: `run`, or `runPush` for a bundle holding `push` alone. */
export type ProcessRun = (argv: readonly string[], environment: RunEnvironment) => Promise<ExitCode | number>;

// A reader that went away (`| head -c0`: EPIPE), a closed descriptor (EBADF) or a full disk (ENOSPC) is an
// error of the output, not of the command: the event may already be delivered, and a stack trace plus exit 1
// would make the caller send it again. Without a listener Node throws the error and exits 1.
const ignoreOutputError = () => undefined;
const listening = { stdout: false, stderr: false };

/** `process.stdout` or `process.stderr`, built by Node on first access, with the listener above from then on. */
function standardStream(name: "stdout" | "stderr"): NodeJS.WriteStream {
  const stream = process[name];
  if (!listening[name]) {
    listening[name] = true;
    stream.on("error", ignoreOutputError);
  }
  return stream;
}

function writeError(line: string): void {
  try {
    standardStream("stderr").write(line);
  } catch {
    // stderr is gone: the exit code still says what happened.
  }
}

/**
 * Runs `flash-call` as this process (what a bundle the bin runs does, once): the arguments and environment of
 * the process, its stdout and stderr (whose own errors never fail the command), the stop signals, the transport,
 * and the exit with the command's code. A command still waiting when nothing is left to wait on exits 1.
 *
 * @param run runs the command line (no default: each bundle passes its own)
 * @example
 * ```ts
 * startProcess(run); // run-process.ts
 * ```
 */
export function startProcess(run: ProcessRun): void {
  let settled = false;
  // Building stdout (a stream for a file, a pipe or a terminal) costs a push about half a millisecond: not before its
  // request is on the wire. The streams are built when first written to, or once the run's first turn is over,
  // which for a push is once its request has gone, while the answer is on its way.
  setImmediate(() => {
    standardStream("stdout");
    standardStream("stderr");
  });

  // If the event loop empties while the command is still waiting (a promise nothing will ever resolve),
  // Node would exit 0 having delivered nothing: never let that pass as success.
  process.on("beforeExit", () => {
    if (settled) return;
    settled = true;
    writeError(
      "flash-call: Unexpected: stopped with work pending (nothing left to wait on); not delivered\n",
    );
    process.exit(1);
  });

  const stderr = { write: (text: string) => standardStream("stderr").write(text) };
  run(process.argv.slice(2), {
    env: process.env,
    stdout: { write: (text) => standardStream("stdout").write(text) },
    stderr,
    // Node builds process.stdin (a stream, a socket for a pipe) on first access: only `--file -` and `push -` read it.
    stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
    stop: listenForShutdown({
      on: (signal, listener) => process.on(signal, listener),
      exit: (code) => process.exit(code),
      stderr,
    }),
    // Node's fetch costs more to start than the rest of a push together: the bin sends with node:http.
    transport: transportForProcess(process.execArgv, process.env.NODE_OPTIONS),
  }).then(
    (code) => {
      settled = true;
      process.exitCode = code;
      // Stray handles (keep-alive sockets, timers) must not keep a one-shot command alive; stdout and
      // stderr are synchronous for files and pipes on POSIX, so nothing written is lost.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    () => {
      settled = true;
      process.exitCode = 1;
    },
  );
}
