// `pnpm test:runtimes`: the packed SDK pushes to the mock Flashduty and maps a 401 on every runtime of the matrix.
// Prints one PASS/FAIL line per runtime with its version and exits non-zero if any fails.
// Installs its runtimes itself (npm ci of runtimes/toolchain into runtimes/.cache); Chromium comes from Debian
// (`apt-get install -y chromium`). Usage: node runtimes/run.mjs [--only=node-20,deno,...] [--verbose]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { packWorkspace, quietly } from "../scripts/size/install-size.mjs";
import { spawnCollect } from "../test-support/spawn-collect.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url)).replace(/\/$/, "");
const CACHE = `${HERE}/.cache`;
const TOOLCHAIN = `${CACHE}/toolchain`;
const TOOLS = `${TOOLCHAIN}/node_modules`;
const RUN_TIMEOUT_MS = 60_000;
const onlyArgument = process.argv.find((argument) => argument.startsWith("--only="));
const verbose = process.argv.includes("--verbose");
const only =
  onlyArgument === undefined ? undefined : new Set(onlyArgument.slice("--only=".length).split(","));

/**
 * Installs the pinned toolchain (npm install with the committed lockfile; not `npm ci`, which refuses a lockfile
 * that lacks other platforms' optional binaries), skipped while the stamp says this lockfile is installed.
 */
function ensureToolchain() {
  mkdirSync(TOOLCHAIN, { recursive: true });
  const lock = readFileSync(`${HERE}/toolchain/package-lock.json`, "utf8");
  const stamp = `${TOOLCHAIN}/installed-lock.json`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock && existsSync(`${TOOLS}/.package-lock.json`))
    return;
  console.log("installing the runtime toolchain into runtimes/.cache/toolchain …");
  copyFileSync(`${HERE}/toolchain/package.json`, `${TOOLCHAIN}/package.json`);
  copyFileSync(`${HERE}/toolchain/package-lock.json`, `${TOOLCHAIN}/package-lock.json`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: TOOLCHAIN,
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(stamp, lock);
}

/** Packs core, errors, keys and flash-call as published, installs them with npm, and bundles the non-Node entries. */
async function installPackedSdk(workDirectory) {
  const tarballDirectory = `${workDirectory}/tarballs`;
  const appDirectory = `${workDirectory}/app`;
  mkdirSync(tarballDirectory);
  mkdirSync(`${appDirectory}/assets`, { recursive: true });
  const tarballs = packWorkspace(tarballDirectory, ["core", "errors", "keys", "flash-call"]);
  writeFileSync(`${appDirectory}/package.json`, '{ "private": true, "type": "module" }\n');
  quietly(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      ...Object.values(tarballs),
    ],
    appDirectory,
  );
  for (const name of ["probe.js", "script-entry.mjs", "worker-entry.js", "page-entry.js"]) {
    copyFileSync(`${HERE}/entries/${name}`, `${appDirectory}/${name}`);
  }
  const bundle = (entry, outfile, conditions) =>
    build({
      entryPoints: [`${appDirectory}/${entry}`],
      outfile: `${appDirectory}/assets/${outfile}`,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions,
      logLevel: "error",
    });
  await bundle("worker-entry.js", "worker.js", ["workerd", "worker"]);
  await bundle("page-entry.js", "page.js", []);
  return appDirectory;
}

async function startGateway(assetsDirectory, integrationKey) {
  const child = spawn(process.execPath, [`${HERE}/gateway.mjs`, assetsDirectory, integrationKey], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [line] = await once(createInterface({ input: child.stdout }), "line");
  return {
    ...JSON.parse(line),
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Runs a command to its end (killed after RUN_TIMEOUT_MS); resolves with its stdout, stderr and exit code (the
 * signal's name when one ended it, -1 when it could not be started).
 */
async function run(command, args, options = {}) {
  try {
    const { status, signal, stdout, stderr } = await spawnCollect(command, args, {
      ...options,
      timeout: RUN_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    return { stdout, stderr, code: status ?? signal };
  } catch (error) {
    return { stdout: "", stderr: error.message, code: -1 };
  }
}

/** The probe's JSON line from a script runtime's output, or a failure that says what the runtime printed. */
function parseProbeOutput({ stdout, stderr, code }) {
  const line = stdout
    .trim()
    .split("\n")
    .findLast((candidate) => candidate.startsWith("{"));
  if (line !== undefined) {
    try {
      return JSON.parse(line);
    } catch {}
  }
  const said = `${stderr}${stdout}`.trim().split("\n").slice(-4).join(" / ");
  return { ok: false, checks: [{ name: "probe ran", ok: false, detail: `exit ${code}: ${said}` }] };
}

function scriptRuntime(name, command, prefixArguments, version, environment = {}) {
  return {
    name,
    available: () => (existsSync(command) ? undefined : `${command} missing`),
    version,
    async probe({ appDirectory, gateway }) {
      const config = JSON.stringify({
        runtime: name,
        pushUrl: gateway.pushUrl,
        controlUrl: `${gateway.gatewayUrl}/control`,
      });
      const output = await run(
        command,
        [...prefixArguments(appDirectory), `${appDirectory}/script-entry.mjs`, config],
        {
          cwd: appDirectory,
          env: { ...process.env, ...environment },
        },
      );
      const result = parseProbeOutput(output);
      // The entry never calls exit: a timer, socket or request the SDK left behind would keep the process alive
      // until the runner kills it.
      const exited = {
        name: "exit: the process ended by itself after the probe (nothing left holding it open)",
        ok: output.code === 0,
        detail: `exit ${output.code}`,
      };
      return { ...result, ok: result.ok && exited.ok, checks: [...result.checks, exited] };
    },
  };
}

const workerdRuntime = {
  name: "workerd",
  available: () => (existsSync(`${TOOLS}/miniflare/package.json`) ? undefined : "miniflare missing"),
  async probe({ appDirectory, gateway }) {
    const miniflareEntry = `${TOOLS}/miniflare/dist/src/index.js`;
    const { Miniflare } = await import(pathToFileURL(miniflareEntry).href);
    const workerdVersion = JSON.parse(readFileSync(`${TOOLS}/workerd/package.json`, "utf8")).version;
    // The bundled worker passed as its one module, as wrangler uploads it: Miniflare's own module discovery refuses
    // the SDK's telemetry loader, an import() by a name held in a variable (bundlers leave it out on purpose, and
    // a worker without OpenTelemetry never runs it).
    const miniflare = new Miniflare({
      modules: [
        {
          type: "ESModule",
          path: `${appDirectory}/assets/worker.js`,
          contents: readFileSync(`${appDirectory}/assets/worker.js`, "utf8"),
        },
      ],
      compatibilityDate: "2025-07-01",
    });
    try {
      const response = await miniflare.dispatchFetch("http://worker.test/", {
        method: "POST",
        body: JSON.stringify({
          runtime: "workerd",
          pushUrl: gateway.pushUrl,
          controlUrl: `${gateway.gatewayUrl}/control`,
        }),
      });
      const text = await response.text();
      try {
        return { ...JSON.parse(text), version: `workerd ${workerdVersion} (miniflare 3)` };
      } catch {
        return {
          ok: false,
          version: `workerd ${workerdVersion}`,
          checks: [{ name: "probe ran", ok: false, detail: text.slice(0, 300) }],
        };
      }
    } finally {
      await miniflare.dispose();
    }
  },
};

const CHROMIUM = ["chromium", "chromium-browser"].find(
  (command) => spawnSync(command, ["--version"]).status === 0,
);

const chromiumRuntime = {
  name: "chromium",
  available: () =>
    CHROMIUM === undefined ? "chromium not installed (apt-get install -y chromium)" : undefined,
  async probe({ appDirectory, gateway }) {
    const version = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" }).stdout.trim();
    const config = JSON.stringify({
      runtime: "chromium",
      pushPath: new URL(gateway.proxiedPushUrl).pathname + new URL(gateway.proxiedPushUrl).search,
    });
    writeFileSync(
      `${appDirectory}/assets/page.html`,
      `<!doctype html><meta charset="utf-8"><title>flash-call runtime matrix</title>
<script type="application/json" id="config">${config}</script>
<script type="module" src="/assets/page.js"></script>\n`,
    );
    const profile = mkdtempSync(`${CACHE}/chromium-profile-`);
    // Its own process group, so the browser's helper processes end with it.
    const browser = spawn(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-first-run",
        `--user-data-dir=${profile}`,
        `${gateway.gatewayUrl}/`,
      ],
      { stdio: ["ignore", "ignore", "pipe"], detached: true },
    );
    let stderr = "";
    browser.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    try {
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      while (Date.now() < deadline && browser.exitCode === null) {
        const response = await fetch(`${gateway.gatewayUrl}/control/report`);
        if (response.status === 200) return { ...(await response.json()), version };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const detail =
        browser.exitCode === null ? "no report within the time limit" : `chromium exited ${browser.exitCode}`;
      return {
        ok: false,
        version,
        checks: [{ name: "page reported", ok: false, detail: `${detail}: ${stderr.slice(-300)}` }],
      };
    } finally {
      if (browser.exitCode === null) {
        const exited = once(browser, "exit");
        process.kill(-browser.pid, "SIGKILL");
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    }
  },
};

const RUNTIMES = [
  scriptRuntime("node-20", process.execPath, () => []),
  scriptRuntime("node-22", `${TOOLS}/node22/bin/node`, () => []),
  scriptRuntime("node-24", `${TOOLS}/node24/bin/node`, () => []),
  scriptRuntime("node-26", `${TOOLS}/node26/bin/node`, () => []),
  scriptRuntime("bun", `${TOOLS}/bun/bin/bun.exe`, () => ["run"], undefined, {
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
  }),
  scriptRuntime(
    "deno",
    `${TOOLS}/deno/deno`,
    (appDirectory) => ["run", "--allow-net=127.0.0.1", `--allow-read=${appDirectory}`],
    undefined,
    { DENO_DIR: `${CACHE}/deno-dir`, DENO_NO_UPDATE_CHECK: "1" },
  ),
  workerdRuntime,
  chromiumRuntime,
].filter((runtime) => only === undefined || only.has(runtime.name));

const started = performance.now();
ensureToolchain();
mkdirSync(CACHE, { recursive: true });
const workDirectory = mkdtempSync(`${CACHE}/run-`);
let failures = 0;
try {
  const appDirectory = await installPackedSdk(workDirectory);
  const integrationKey = `rtmatrix${randomBytes(12).toString("hex")}`;
  const gateway = await startGateway(`${appDirectory}/assets`, integrationKey);
  try {
    for (const runtime of RUNTIMES) {
      const unavailable = runtime.available();
      if (unavailable !== undefined) {
        failures += 1;
        console.log(`FAIL  ${runtime.name.padEnd(9)} not available: ${unavailable}`);
        continue;
      }
      let result;
      try {
        result = await runtime.probe({ appDirectory, gateway });
      } catch (error) {
        result = { ok: false, checks: [{ name: "probe ran", ok: false, detail: String(error) }] };
      }
      if (!result.ok) failures += 1;
      console.log(`${result.ok ? "PASS" : "FAIL"}  ${runtime.name.padEnd(9)} ${result.version ?? ""}`);
      for (const entry of result.checks.filter((candidate) => verbose || !candidate.ok)) {
        console.log(`        ${entry.ok ? "✓" : "✗"} ${runtime.name}, ${entry.name}: ${entry.detail ?? ""}`);
      }
    }
  } finally {
    await gateway.close();
  }
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${RUNTIMES.length - failures} passed, ${failures} failed (${seconds} s)`);
process.exitCode = failures > 0 ? 1 : 0;
