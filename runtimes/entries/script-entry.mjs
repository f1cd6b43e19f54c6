// Entry for Node, Bun and Deno: imports the installed (packed) SDK by its package name, runs the probe and prints
// one JSON line. The configuration comes as one JSON argument.
import * as sdk from "flash-call";
import { runProbe } from "./probe.js";

const argument = globalThis.Deno?.args[0] ?? globalThis.process.argv[2];
const config = JSON.parse(argument);
const version =
  globalThis.Bun?.version !== undefined
    ? `bun ${globalThis.Bun.version}`
    : globalThis.Deno?.version !== undefined
      ? `deno ${globalThis.Deno.version.deno}`
      : `node ${globalThis.process.version}`;
const result = await runProbe({ sdk, ...config });
console.log(JSON.stringify({ ...result, version }));
