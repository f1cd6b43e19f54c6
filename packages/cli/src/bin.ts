import { run } from "./run.js";
import { listenForShutdown } from "./shutdown.js";

// The shebang is added by tsup's banner. Static imports stay minimal: each command loads what it needs.
let settled = false;

// If the event loop empties while the command is still waiting (a promise nothing will ever resolve),
// Node would exit 0 having delivered nothing: never let that pass as success.
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    "flash-call: Unexpected: stopped with work pending (nothing left to wait on); not delivered\n",
  );
  process.exit(1);
});

run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stop: listenForShutdown(process),
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
