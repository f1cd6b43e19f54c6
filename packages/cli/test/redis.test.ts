import { createServer, type Socket } from "node:net";
import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, redisUnavailable, startRedisServer } from "../../../test-support/redis-server.js";
import { baseEnv, neverPrint, runCli, runCliWithin } from "./run-cli.js";

describe.skipIf(redisUnavailable !== undefined)("flash-call --redis", () => {
  let mock: MockServer;
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    // Strict windows of 5 a second: more than five processes at once would meet 429s without a shared pacer.
    mock = await startMockServer({ rateLimit: { perSecond: 5, perMinute: 1000 } });
    neverPrint(mock.integrationKey);
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    admin.on("error", () => {});
    await admin.connect();
  });
  afterAll(async () => {
    admin.destroy();
    await redis.stop();
    await mock.close();
  });

  it("concurrent processes share the key's slots in Redis, which knows only a hash of the key", async () => {
    const env = baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl, FLASH_CALL_REDIS_URL: redis.url });
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        runCli(
          ["push", "--title", `storm ${index}`, "--status", "Critical", "--alert-key", `storm-${index}`],
          env,
        ),
      ),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    expect(runs.map((run) => run.stderr).join("")).toBe("");
    const keys = (await admin.sendCommand(["KEYS", "flash-call:pace:*"])) as string[];
    const sent = keys.find((key) => key.endsWith(":sent"));
    expect(sent).toMatch(/^flash-call:pace:\{sha256:[0-9a-f]{32}\}:sent$/);
    expect(await admin.sendCommand(["ZCARD", sent ?? ""])).toBe(4);
    const key = mock.integrationKey;
    for (let start = 0; start + 8 <= key.length; start++)
      expect(keys.join("\n")).not.toContain(key.slice(start, start + 8));
  });

  it("an unreachable Redis is no outage: delivered, with one warning line", async () => {
    // A port nothing listens on: the server started and stopped here.
    const gone = await startRedisServer();
    await gone.stop();
    const run = await runCli(
      ["push", "--title", "t", "--status", "Warning", "--redis", gone.url],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl }),
    );
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^flash-call: warning: \[flash-call\/redis\] the pacing store failed .*pacing locally/,
      ),
    ]);
  });

  it("a URL that is not redis:// is a usage error before anything is sent", async () => {
    const run = await runCli(
      ["push", "--title", "t", "--status", "Info", "--redis", "http://cache:6379"],
      baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});

describe("flash-call --redis with a Redis that accepts the connection and never answers", () => {
  it("delivers, says so in one warning line, and exits by itself", async () => {
    const mock = await startMockServer({ rateLimit: false });
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const run = await runCliWithin(
        ["push", "--title", "t", "--status", "Warning", "--redis", `redis://127.0.0.1:${port}`],
        baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl }),
        { timeoutMs: 30_000 },
      );
      expect(run.code).toBe(0);
      expect(run.signal).toBeNull();
      expect(mock.events).toHaveLength(1);
      expect(run.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^flash-call: warning: \[flash-call\/redis\] the pacing store failed \(no answer in time\)/,
        ),
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await mock.close();
    }
  });
});
