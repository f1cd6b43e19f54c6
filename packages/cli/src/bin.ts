import { enablePrivateCompileCache } from "./compile-cache.js";

// The `flash-call` executable, built as CommonJS (tsup adds the shebang). It runs once per alert, so start-up is
// most of its cost: the compile cache goes on first, then the command loads from the file whose compiled code the
// cache holds.
enablePrivateCompileCache(process.env);
require("./run-process.cjs");
