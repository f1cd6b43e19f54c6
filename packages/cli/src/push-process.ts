import { runPush } from "./run-push.js";
import { startProcess } from "./start-process.js";

// `flash-call push …` as this process: what bin.ts runs when the command word is `push`. A bundle of its own,
// without the other commands, so that the one command run once per alert reads and loads the least code.
startProcess(runPush);
