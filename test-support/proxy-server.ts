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

export async function startProxyServer(): Promise<ProxyServer> {
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
  const url = `http://127.0.0.1:${port}`;
  // Wait until it accepts connections.
  for (let tries = 0; ; tries++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.end();
          resolve();
        });
        socket.once("error", reject);
      });
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await new Promise((wake) => setTimeout(wake, 50));
    }
  }
  return {
    url,
    log: () => readFileSync(logFile, "utf8"),
    close: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) =>
        child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve),
      );
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
