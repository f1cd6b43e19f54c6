import { run } from "./run.js";
import { listenForShutdown } from "./shutdown.js";
import { transportForProcess } from "./transport-choice.js";

// `flash-call` as this process: what bin.ts requires once the compile cache is on. Everything a command needs is
// bundled into this one file and evaluated when the command first uses it (see ARCHITECTURE.md).
let settled = false;

// A reader that went away (`| head -c0`: EPIPE), a closed descriptor (EBADF) or a full disk (ENOSPC) is an
// error of the output, not of the command: the event may already be delivered, and a stack trace plus exit 1
// would make the caller send it again. Without a listener Node throws the error and exits 1.
const ignoreOutputError = () => undefined;
process.stdout.on("error", ignoreOutputError);
process.stderr.on("error", ignoreOutputError);

function writeError(line: string): void {
  try {
    process.stderr.write(line);
  } catch {
    // stderr is gone: the exit code still says what happened.
  }
}

// If the event loop empties while the command is still waiting (a promise nothing will ever resolve),
// Node would exit 0 having delivered nothing: never let that pass as success.
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  writeError("flash-call: Unexpected: stopped with work pending (nothing left to wait on); not delivered\n");
  process.exit(1);
});

run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  // Node builds process.stdin (a stream, a socket for a pipe) on first access: only `--file -` and `push -` read it.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  stop: listenForShutdown(process),
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
