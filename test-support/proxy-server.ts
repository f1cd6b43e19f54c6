// A real forward proxy for tests: Debian's tinyproxy on 127.0.0.1, started per test file.
// `pnpm test` installs it (scripts/system-packages.sh); on a developer machine without it the proxy tests are
// skipped with the reason; in CI (CI=true) a missing tinyproxy throws, so the run fails instead of skipping.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { skipReasonOutsideCi } from "./required-tool.js";

export interface ProxyServer {
  url: string;
  /** Lines tinyproxy logged so far (connections it forwarded). */
  log(): string;
  close(): Promise<void>;
}

/** Why the proxy cannot run here, or undefined when it can; throws in CI, where the proxy tests must run. */
export function proxyUnavailableReason(): string | undefined {
  try {
    execFileSync("tinyproxy", ["-v"], { stdio: "ignore" });
    return undefined;
  } catch {
    return skipReasonOutsideCi(
      "tinyproxy is not installed (apt-get install tinyproxy; `pnpm test` installs it as root)",
    );
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

/** Whether something accepts connections on 127.0.0.1:`port` right now. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/**
 * Starts tinyproxy on a free port of 127.0.0.1 and resolves once it accepts connections. It waits for that event,
 * not for a length of time: it polls until the port answers or tinyproxy exits (then it tries the next free port,
 * since another process may have taken the one it was given).
 */
export async function startProxyServer(): Promise<ProxyServer> {
  for (let attempt = 1; ; attempt++) {
    const started = await startOnFreePort();
    if (started !== undefined) return started;
    if (attempt === 3) throw new Error("tinyproxy exited before accepting connections, three times");
  }
}

async function startOnFreePort(): Promise<ProxyServer | undefined> {
  const directory = mkdtempSync(join(tmpdir(), "flash-call-proxy-"));
  const port = await freePort();
  const logFile = join(directory, "tinyproxy.log");
  const config = join(directory, "tinyproxy.conf");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Timeout 30",
      "Allow 127.0.0.1",
      "LogLevel Connect",
      `LogFile "${logFile}"`,
      `PidFile "${join(directory, "tinyproxy.pid")}"`,
      "MaxClients 50",
      "DisableViaHeader Yes",
    ].join("\n"),
  );
  writeFileSync(logFile, "");
  const child: ChildProcess = spawn("tinyproxy", ["-d", "-c", config], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  while (running && !(await accepts(port))) await new Promise((wake) => setTimeout(wake, 20));
  if (!running) {
    rmSync(directory, { recursive: true, force: true });
    return undefined;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => readFileSync(logFile, "utf8"),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
