#!/usr/bin/env node
// Type-checks every TypeScript example of every README.md (```ts / ```typescript blocks) with `tsc --noEmit
// --strict`, against the workspace packages' types (their sources, so no build is needed). Each block is checked as its own module, with the imports of the README's other blocks (examples build on
// the ones above) and the README's declared context (scripts/readme-examples-context.mjs: the reader's own values
// such as `response`). A block that is deliberately partial is marked, sparingly, with ```ts nocheck or a line
// `<!-- not checked: reason -->` just above it. Errors are reported at the README's own line.
//
//   node scripts/check-readme-examples.mjs               every README.md in the repository (pnpm test, pnpm check)
//   node scripts/check-readme-examples.mjs a/README.md   only these
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { README_CONTEXT } from "./readme-examples-context.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Inside the CLI package, whose node_modules link every workspace package (and undici), below the root's
// (msw, vitest): the examples resolve their imports as a user's project would.
const cacheDirectory = join(root, "packages", "cli", "node_modules", ".cache");

/** The ```ts blocks of one README, with the line their code starts on and whether they are marked unchecked. */
export function extractBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(ts|typescript)\b(.*)$/.exec(lines[index] ?? "");
    if (!fence) continue;
    const previous = lines[index - 1]?.trim() ?? "";
    const skipped = /\bnocheck\b/.test(fence[2] ?? "") || /^<!--\s*not checked:.+-->$/.test(previous);
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join("\n"), skipped });
    index = end;
  }
  return blocks;
}

/** The import statements of a block (single- or multi-line), and the names each binds. */
function importsOf(code) {
  // Up to the module specifier and its semicolon: a trailing comment would swallow the rest of the preamble line.
  const statements = code.match(/^import\s[\s\S]*?from\s+["'][^"']+["'];?/gm) ?? [];
  return statements.map((text) => ({
    text,
    names: [...text.replace(/from\s+["'][^"']+["'].*$/s, "").matchAll(/\b([A-Za-z_$][\w$]*)\b/g)]
      .map((match) => match[1])
      .filter((name) => !["import", "type", "as"].includes(name)),
  }));
}

/** Whether `code` defines `name` itself (a declaration or an import). */
function defines(code, name) {
  return new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b|\\bimport\\b[^;]*\\b${name}\\b`).test(
    code,
  );
}

/** The module tsc checks for one block: borrowed imports and context first, then the block, then `export {}`. */
export function moduleFor(block, siblings, context) {
  const own = importsOf(block.code);
  const ownNames = new Set(own.flatMap((statement) => statement.names));
  const preamble = [];
  for (const sibling of siblings) {
    for (const statement of importsOf(sibling.code)) {
      if (statement.names.some((name) => ownNames.has(name) || defines(preamble.join("\n"), name))) continue;
      preamble.push(statement.text);
    }
  }
  for (const [name, declaration] of Object.entries(context)) {
    const used = new RegExp(`\\b${name}\\b`).test(block.code);
    if (used && !defines(block.code, name) && !defines(preamble.join("\n"), name)) preamble.push(declaration);
  }
  // One line for the borrowed code, so the block's lines keep a fixed offset.
  const head = preamble.join(" ");
  return { text: `${head}\n${block.code}\nexport {};\n`, offset: 1 };
}

function readmes() {
  const listed = execFileSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "*README.md"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  return listed.split("\n").filter((file) => file.endsWith("README.md"));
}

function main() {
  const given = process.argv.slice(2);
  const readmeFiles = given.length > 0 ? given.map((file) => relative(root, resolve(file))) : readmes();
  mkdirSync(cacheDirectory, { recursive: true });
  const workDirectory = mkdtempSync(join(cacheDirectory, "readme-examples-"));
  const files = new Map();
  let checked = 0;
  let skipped = 0;
  for (const readme of readmeFiles) {
    const blocks = extractBlocks(readFileSync(join(root, readme), "utf8"));
    const live = blocks.filter((block) => !block.skipped);
    skipped += blocks.length - live.length;
    for (const block of live) {
      const name = `${readme.replace(/[^\w.-]+/g, "_").replace(/\.md$/, "")}__line-${block.line}.ts`;
      const module = moduleFor(
        block,
        live.filter((other) => other !== block),
        README_CONTEXT[readme] ?? {},
      );
      writeFileSync(join(workDirectory, name), module.text);
      files.set(name, { readme, line: block.line, offset: module.offset });
      checked++;
    }
  }
  writeFileSync(
    join(workDirectory, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        types: ["node"],
        skipLibCheck: true,
        // The workspace packages' TypeScript sources (their exports' "flash-call-source" entries).
        customConditions: ["flash-call-source"],
      },
      files: [...files.keys()],
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  let output = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", workDirectory, "--pretty", "false"], {
      cwd: workDirectory,
      encoding: "utf8",
    });
  } catch (error) {
    output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
  }
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  const errorCount = lines.filter((line) => /\berror TS\d+/.test(line)).length;
  const problems = lines.map((line) => {
    const at = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    const origin = at && files.get(relative(workDirectory, join(workDirectory, at[1])));
    if (!at || !origin) return line;
    const readmeLine = origin.line + Number(at[2]) - 1 - origin.offset;
    return `${origin.readme}:${readmeLine}:${at[3]}: ${at[4]}`;
  });
  rmSync(workDirectory, { recursive: true, force: true });
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`README examples: ${errorCount} type error(s) in ${checked} checked blocks (tsc --strict)`);
    process.exit(1);
  }
  console.log(
    `README examples: ${checked} TypeScript blocks type-check (tsc --strict); ${skipped} marked unchecked`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
