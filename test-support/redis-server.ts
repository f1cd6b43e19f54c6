import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { skipReasonOutsideCi } from "./required-tool.js";

/** Why the suites needing a real Redis skip here (throws in CI instead), or `undefined` when redis-server runs. */
export const redisUnavailable = skipReasonOutsideCi(
  (() => {
    try {
      execFileSync("redis-server", ["--version"], { stdio: "ignore" });
      return undefined;
    } catch {
      return "redis-server is not installed (scripts/system-packages.sh installs it)";
    }
  })(),
);

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A real redis-server on 127.0.0.1, without persistence. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: as a crash, no goodbye to the clients) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it accepts connections. */
  restart(): Promise<void>;
}

/** Starts redis-server on `port`; resolves when it says it accepts connections, rejects if it exits first. */
async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "notice",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    );
  });
  return child;
}

/**
 * Starts a redis-server on a free port of 127.0.0.1 (`--save '' --appendonly no`: nothing written to disk).
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const client = await createClient({ url: redis.url }).on("error", () => {}).connect();
 * await redis.stop();
 * ```
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      child = await launch(port);
    },
  };
}
