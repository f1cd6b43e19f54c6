import { run } from "./run.js";
import { startProcess } from "./start-process.js";

// `flash-call` as this process, every command: what bin.ts runs for any command line but `push …` (see
// push-process.ts). Everything a command needs is bundled into this one file and evaluated when the command first
// uses it (see ARCHITECTURE.md).
startProcess(run);
