// What a program embedding the command needs; the pieces behind it (parsers, the spool, OCP helpers) are
// internals, free to change.
export { EXIT_CODES, type ExitCode } from "./exit-codes.js";
export type { TextSink } from "./output.js";
export { type RunEnvironment, run } from "./run.js";
export { VERSION } from "./version.js";
