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
 * What an error nothing caught becomes (a throw in a callback, a rejection nobody awaited): the lines every other
 * failure is said in, with every key the process was given masked and control characters escaped, then exit 1.
 * Never Node's own report, which prints a message (and a URL in it, with its key) as it is, with a stack trace.
 * The modules are loaded only then: a crash is no reason to make every start slower.
 */
function reportCrash(error: unknown): void {
  Promise.all([import("./environment-secrets.js"), import("./error-report.js"), import("./output.js")])
    .then(([{ registerGivenSecrets }, { formatReport, reportError }, { errorText }]) => {
      // Registered again: the crash may have come before the command registered them.
      registerGivenSecrets(process.argv.slice(2), process.env);
      const hint =
        "hint: an error flash-call did not expect (please report it); an event being sent may not have arrived: with --spool its copy stays for flush";
      writeError(errorText([...formatReport(reportError(error)), hint]));
    })
    .catch(() => writeError("flash-call: Unexpected: an error flash-call did not expect\n"))
    .finally(() => process.exit(1));
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

  let crashed = false;
  const crash = (error: unknown) => {
    settled = true;
    // A second error while the first is reported: the first one's report and exit stand.
    if (crashed) return;
    crashed = true;
    reportCrash(error);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);

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
  }).then((code) => {
    settled = true;
    process.exitCode = code;
    // Stray handles (keep-alive sockets, timers) must not keep a one-shot command alive; stdout and
    // stderr are synchronous for files and pipes on POSIX, so nothing written is lost.
    setTimeout(() => process.exit(code), 2000).unref();
  }, crash);
}
