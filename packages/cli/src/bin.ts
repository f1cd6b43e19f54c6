import { join } from "node:path";
import { enablePrivateCompileCache, runBundle } from "./compile-cache.js";

// The `flash-call` executable, built as CommonJS (tsup adds the shebang). It runs once per alert, so start-up is
// most of its cost: the command loads from the bundle beside this file, with the compiled code the previous run of
// the same command left in the cache.
runBundle(join(__dirname, "run-process.cjs"), enablePrivateCompileCache(process.env), process.argv[2]);
