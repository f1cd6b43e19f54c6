import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, neverPrint, runCli } from "./run-cli.js";

const CANDIDATES = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy", "/usr/local/bin/tinyproxy"];

/** Finds tinyproxy, installing it from Debian's packages when absent; a reason string when that is impossible. */
function ensureTinyproxy(): string {
  const found = () => CANDIDATES.find((path) => existsSync(path));
  if (found()) return found() as string;
  if (!existsSync("/usr/bin/apt-get")) return "tinyproxy is not installed and apt-get is unavailable";
  try {
    execFileSync("apt-get", ["install", "-y", "-q", "tinyproxy"], { stdio: "ignore", timeout: 240_000 });
  } catch {
    try {
      execFileSync("apt-get", ["update", "-q"], { stdio: "ignore", timeout: 240_000 });
      execFileSync("apt-get", ["install", "-y", "-q", "tinyproxy"], { stdio: "ignore", timeout: 240_000 });
    } catch (error) {
      return `could not install tinyproxy with apt-get: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  return found() ?? "apt-get installed tinyproxy but its binary was not found";
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const found = ensureTinyproxy();
const available = found.startsWith("/");
if (!available) console.warn(`proxy tests skipped: ${found}`);

let mock: MockServer;
let proxy: ChildProcess | undefined;
let proxyUrl: string;
let logFile: string;

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import("node:net");
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`tinyproxy did not start on port ${port}`);
}

describe.skipIf(!available)("proxies (through a real tinyproxy)", () => {
  beforeAll(async () => {
    mock = await startMockServer();
    neverPrint(mock.integrationKey);
    const directory = await mkdtemp(join(tmpdir(), "flash-call-proxy-"));
    await chmod(directory, 0o777); // tinyproxy started as root drops to nobody before writing its log.
    const port = await freePort();
    logFile = join(directory, "tinyproxy.log");
    const config = join(directory, "tinyproxy.conf");
    await writeFile(
      config,
      [
        `Port ${port}`,
        "Listen 127.0.0.1",
        "Timeout 30",
        `LogFile "${logFile}"`,
        "LogLevel Connect",
        "MaxClients 20",
        "Allow 127.0.0.1",
        "",
      ].join("\n"),
    );
    proxy = spawn(found, ["-d", "-c", config], { stdio: "ignore" });
    proxyUrl = `http://127.0.0.1:${port}`;
    await waitForPort(port);
  });
  afterAll(async () => {
    proxy?.kill("SIGTERM");
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  it.each(["HTTP_PROXY", "http_proxy"])("%s sends the push through the proxy", async (variable) => {
    const run = await runCli(
      ["push", "-t", `via ${variable}`, "-s", "Info", "-k", `proxied-${variable}`],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, [variable]: proxyUrl }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(mock.events[0]?.alert_key).toBe(`proxied-${variable}`);
    const log = await readFile(logFile, "utf8");
    expect(log).toContain(new URL(mock.url).port);
  });

  it.each([
    ["host:port, without a scheme", () => proxyUrl.replace("http://", "")],
    ["a URL with a path", () => `${proxyUrl}/proxy`],
  ])("sends through a proxy given as %s, as curl does", async (_form, proxyValue) => {
    const run = await runCli(
      ["push", "-t", "via a curl-style proxy", "-s", "Info", "-k", "curl-style"],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, HTTP_PROXY: proxyValue() }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(mock.events[0]?.alert_key).toBe("curl-style");
    expect(await readFile(logFile, "utf8")).toContain(new URL(mock.url).port);
  });

  it("fails over a dead proxy (so the proxy really is used), and NO_PROXY bypasses it", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const blocked = await runCli(
      ["push", "-t", "t", "-s", "Info", "--retries", "0"],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, HTTPS_PROXY: dead, HTTP_PROXY: dead }),
    );
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/NetworkError/);
    const bypassed = await runCli(
      ["push", "-t", "t", "-s", "Info", "--retries", "0"],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, HTTP_PROXY: dead, NO_PROXY: "127.0.0.1" }),
    );
    expect(bypassed.code, bypassed.stderr).toBe(0);
    expect(mock.events).toHaveLength(1);
    // An address range, as curl reads it (undici's own matching knows only names and whole addresses).
    for (const range of ["127.0.0.0/8", "10.0.0.0/8, 127.0.0.0/24"]) {
      const inRange = await runCli(
        ["push", "-t", "t", "-s", "Info", "--retries", "0"],
        baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, HTTP_PROXY: dead, NO_PROXY: range }),
      );
      expect(inRange.code, inRange.stderr).toBe(0);
    }
    expect(mock.events).toHaveLength(3);
    const outOfRange = await runCli(
      ["push", "-t", "t", "-s", "Info", "--retries", "0"],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, HTTP_PROXY: dead, NO_PROXY: "10.0.0.0/8" }),
    );
    expect(outOfRange.code).toBe(1);
  });
});

describe("proxy variables a real run cannot use as written", () => {
  let destination: MockServer;
  let spool: string;
  beforeAll(async () => {
    destination = await startMockServer();
    neverPrint(destination.integrationKey);
  });
  afterAll(() => destination.close());
  beforeEach(async () => {
    destination.reset();
    spool = await mkdtemp(join(tmpdir(), "flash-call-proxy-spool-"));
  });

  it("spools an alert sent through an unreachable host:port proxy (exit 3) instead of losing it", async () => {
    const run = await runCli(
      ["push", "-t", "t", "-s", "Warning", "--retries", "0", "--spool", spool],
      baseEnv({ FLASHDUTY_PUSH_URL: destination.pushUrl, HTTP_PROXY: `127.0.0.1:${await freePort()}` }),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/NetworkError/);
    expect(await readdir(spool)).toHaveLength(1);
  });

  it.each([
    ["HTTPS_PROXY", "alice:s3cr3t-pw@proxy.corp.example", /HTTPS_PROXY has neither a scheme nor a port/],
    ["http_proxy", "ftp://alice:s3cr3t-pw@proxy.corp.example:21", /http_proxy names the scheme ftp:/],
  ])(
    "stops on %s=%s with a ConfigError naming the variable, never its credentials (exit 2)",
    async (variable, value, message) => {
      const run = await runCli(
        ["push", "-t", "t", "-s", "Warning", "--retries", "0", "--spool", spool],
        baseEnv({ FLASHDUTY_PUSH_URL: destination.pushUrl, [variable]: value }),
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/ConfigError/);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/hint: the proxy comes from/);
      expect(run.stderr).not.toContain("s3cr3t-pw");
      // A configuration error is not worth retrying later: nothing is sent, and nothing is kept for a flush.
      expect(await readdir(spool)).toEqual([]);
      expect(destination.requests).toHaveLength(0);
    },
  );

  it.each([
    ["push", ["push", "-t", "t", "-s", "Warning"]],
    ["change", ["change", "-t", "t", "-s", "Done", "--change-key", "c"]],
  ])("--dry-run of %s warns that the proxy would stop a real run", async (_command, args) => {
    const run = await runCli(
      [...args, "--dry-run"],
      baseEnv({ HTTPS_PROXY: "alice:s3cr3t-pw@proxy.corp.example" }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/dry run only: HTTPS_PROXY has neither a scheme nor a port.*exit 2/);
    expect(run.stderr).not.toContain("s3cr3t-pw");
  });
});

describe("a proxy that refuses the tunnel", () => {
  it("407: says the proxy wants other credentials, never printing them", async () => {
    const destination = await startMockServer();
    neverPrint(destination.integrationKey);
    neverPrint("s3cr3t-pw");
    const refusing = createHttpServer((_request, response) => response.writeHead(407).end());
    refusing.on("connect", (_request, socket) => {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n',
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { port } = refusing.address() as { port: number };
    try {
      const run = await runCli(
        ["push", "-t", "t", "-s", "Warning", "--retries", "0"],
        baseEnv({
          FLASHDUTY_PUSH_URL: destination.pushUrl,
          HTTP_PROXY: `http://alice:s3cr3t-pw@127.0.0.1:${port}`,
        }),
      );
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr.split("\n")[0]).toMatch(
        /^flash-call: NetworkError: .*the proxy answered HTTP 407 \(Proxy Authentication Required\): check the user name and password/,
      );
      expect(destination.requests).toHaveLength(0);
    } finally {
      refusing.close();
      await destination.close();
    }
  });
});
