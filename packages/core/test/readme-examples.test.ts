// scripts/check-readme-examples.mjs: every ```ts block of a README is type-checked with tsc --strict, errors are
// reported at the README's line, and only blocks marked as partial are left out.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations
import { extractBlocks } from "../../../scripts/check-readme-examples.mjs";

const script = fileURLToPath(new URL("../../../scripts/check-readme-examples.mjs", import.meta.url));
const extract = extractBlocks as (markdown: string) => { line: number; code: string; skipped: boolean }[];
const fence = "```";

/** The SDK README's proxy recipe as it was: it runs, but does not compile under --strict. */
const CASTING_PROXY_RECIPE = `import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { createFlashCall } from "flash-call";

const dispatcher = new EnvHttpProxyAgent();
const flashduty = createFlashCall({
  fetch: (input, init) => undiciFetch(input as string, { ...init, dispatcher }),
});`;

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "flash-call-readme-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function check(markdown: string): Promise<{ code: number; output: string; readme: string }> {
  const readme = join(directory, `README-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(readme, markdown);
  return new Promise((resolve) => {
    execFile(process.execPath, [script, readme], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`, readme }),
    );
  });
}

describe("README examples", () => {
  test("a block that does not compile under --strict fails the check, at its README line", async () => {
    const run = await check(`# Proxies\n\n${fence}ts\n${CASTING_PROXY_RECIPE}\n${fence}\n`);
    expect(run.code, run.output).toBe(1);
    // The recipe's `fetch:` line is the README's line 9.
    expect(run.output).toMatch(/README-\w+\.md:9:\d+: error TS2322/);
  }, 60_000);

  test("the blocks of a README share their imports, and a well-typed one passes", async () => {
    const run = await check(
      [
        `${fence}ts`,
        'import { createFlashCall } from "flash-call";',
        "const flashduty = createFlashCall({});",
        fence,
        "",
        `${fence}typescript`,
        "const flashduty = createFlashCall({ maxRetries: 1 }); // createFlashCall: imported above",
        'const fired: Promise<unknown> = flashduty.fire({ title_rule: "x", event_status: "Info" });',
        fence,
        "",
      ].join("\n"),
    );
    expect(run.output).toContain("2 TypeScript blocks type-check");
    expect(run.code, run.output).toBe(0);
  }, 60_000);

  test("only marked blocks are left out", () => {
    const blocks = extract(
      [
        `${fence}ts nocheck`,
        "partial(",
        fence,
        "<!-- not checked: the reader's own framework -->",
        `${fence}ts`,
        "app.use(",
        fence,
        `${fence}ts`,
        "const checked = 1;",
        fence,
        `${fence}sh`,
        "flash-call push",
        fence,
      ].join("\n"),
    );
    expect(blocks.map((block) => [block.line, block.skipped])).toEqual([
      [2, true],
      [6, true],
      [9, false],
    ]);
  });
});
