import { join } from "node:path";
import { enablePrivateCompileCache, runBundle } from "./compile-cache.js";

// The `flash-call` executable, built as CommonJS (tsup adds the shebang). It runs once per alert, so start-up is
// most of its cost: the command loads from the bundle beside this file, with the compiled code the previous run of
// the same command left in the cache. `push`, the command run once per alert, has a bundle of its own without the
// other commands (push-process.cjs): less code to read and load.
const command = process.argv[2];
const bundle = command === "push" ? "push-process.cjs" : "run-process.cjs";
runBundle(join(__dirname, bundle), enablePrivateCompileCache(process.env), command);
