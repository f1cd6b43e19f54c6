import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const r = await build({
  entryPoints: [process.argv[2] ?? "packages/flash-call/src/index.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  metafile: true,
  legalComments: "none",
  conditions: ["flash-call-source"],
  logLevel: "silent",
});
const out = Object.values(r.metafile.outputs)[0];
console.log(
  "total min",
  r.outputFiles[0].contents.length,
  "gz",
  gzipSync(r.outputFiles[0].contents, { level: 9 }).length,
);
for (const [k, v] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
  if (v.bytesInOutput) console.log(String(v.bytesInOutput).padStart(7), k.replace(/^.*node_modules\//, ""));
