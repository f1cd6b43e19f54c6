import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { type RedisServer, redisUnavailable, startRedisServer } from "../../../test-support/redis-server.js";
import { createRedisPacer } from "../src/redis-pacer.js";

/** A node-redis-like client answering each script call by its operation (acquire, take, release, …). */
function scriptedStore(answer: (operation: string) => Promise<unknown>) {
  const asked: string[] = [];
  let pending = 0;
  const client = {
    sendCommand(command: string[]) {
      const operation = command[5] ?? command[0] ?? "";
      asked.push(operation);
      pending++;
      const reply = answer(operation);
      reply.then(
        () => pending--,
        () => pending--,
      );
      return reply;
    },
  };
  return { asked, client, pending: () => pending };
}

/** Every line logged, with its level. */
function recordingLogger() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    logger: {
      warn: (message: string) => lines.push(["warn", message]),
      info: (message: string) => lines.push(["info", message]),
    },
  };
}

const afterIo = () => new Promise((resolve) => setImmediate(resolve));

describe("a store that answers, but not credibly", () => {
  test("is said once: its answered writes do not bring shared pacing back while its acquires stay incredible", async () => {
    const { asked, client } = scriptedStore(async (operation) =>
      operation === "acquire" ? [0, 2_000_000_000] : [1, 0],
    );
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 0 });
    for (let push = 0; push < 4; push++) {
      (await pacer.acquire("sha256:incredible"))();
      await afterIo();
    }
    expect(lines).toEqual([["warn", expect.stringMatching(/the pacing store failed \(unexpected reply\)/)]]);
    expect(pacer.fallingBack).toBe(true);
    // It is still asked, once per retryStoreMs, so that a store corrected meanwhile is heard.
    expect(asked.filter((operation) => operation === "acquire").length).toBeGreaterThan(1);
  });

  test("comes back, said once, when its acquire answers credibly again", async () => {
    let credible = false;
    const { client } = scriptedStore(async (operation) =>
      operation === "acquire" && !credible ? [0, "soon"] : [1, 0],
    );
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 0 });
    (await pacer.acquire("sha256:corrected"))();
    await afterIo();
    credible = true;
    (await pacer.acquire("sha256:corrected"))();
    await afterIo();
    expect(pacer.fallingBack).toBe(false);
    expect(lines.map(([level]) => level)).toEqual(["warn", "info"]);
  });
});

describe.skipIf(redisUnavailable !== undefined)("spoiled keys, in a real redis-server", () => {
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;
  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    admin.on("error", () => {});
    await admin.connect();
  });
  afterAll(async () => {
    admin.destroy();
    await redis.stop();
  });

  test.each([
    ["longer than Redis can expire", 1e20],
    ["without end", Number.POSITIVE_INFINITY],
  ])(
    "a pause %s is written as the longest pause believed, and the store is not said to have failed",
    async (_, ms) => {
      const client = createClient({ url: redis.url });
      client.on("error", () => {});
      await client.connect();
      try {
        const { lines, logger } = recordingLogger();
        const pacer = createRedisPacer(client, { logger });
        await pacer.pause("sha256:long", ms);
        expect(lines).toEqual([]);
        expect(pacer.fallingBack).toBe(false);
        const left = Number(await admin.sendCommand(["PTTL", "flash-call:pace:{sha256:long}:pause"]));
        expect(left).toBeGreaterThan(23 * 60 * 60_000);
        expect(left).toBeLessThanOrEqual(24 * 60 * 60_000);
      } finally {
        client.destroy();
        await admin.sendCommand(["FLUSHALL"]);
      }
    },
  );

  test.each([
    ["a pause that is no number", ["SET", "flash-call:pace:{sha256:spoiled}:pause", "garbage"]],
    ["a pause key of another type", ["HSET", "flash-call:pace:{sha256:spoiled}:pause", "a", "b"]],
  ])("%s: pacing goes local, said once, and is shared again once the key is fixed", async (_, spoil) => {
    await admin.sendCommand(spoil);
    const client = createClient({ url: redis.url });
    client.on("error", () => {});
    await client.connect();
    try {
      const { lines, logger } = recordingLogger();
      const pacer = createRedisPacer(client, { logger, retryStoreMs: 0 });
      for (let push = 0; push < 4; push++) {
        (await pacer.acquire("sha256:spoiled"))();
        // The local slot's write is answered before the next push asks.
        await client.sendCommand(["PING"]);
      }
      expect(pacer.fallingBack).toBe(true);
      expect(lines).toEqual([["warn", expect.stringMatching(/the pacing store failed/)]]);
      await admin.sendCommand(["DEL", "flash-call:pace:{sha256:spoiled}:pause"]);
      (await pacer.acquire("sha256:spoiled"))();
      expect(pacer.fallingBack).toBe(false);
      expect(lines.map(([level]) => level)).toEqual(["warn", "info"]);
    } finally {
      client.destroy();
      await admin.sendCommand(["FLUSHALL"]);
    }
  });
});

describe("a store that never answers", () => {
  test("is not sent more than a bounded number of writes: a long outage does not grow the client's queue without end", async () => {
    const { client, pending } = scriptedStore(() => new Promise<never>(() => {}));
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, {
      logger,
      timeoutMs: 20,
      perSecond: 1_000_000,
      perMinute: 10_000_000,
    });
    for (let push = 0; push < 3000; push++) (await pacer.acquire("sha256:hung"))();
    expect(pacer.fallingBack).toBe(true);
    for (let pause = 0; pause < 100; pause++) await pacer.pause("sha256:hung", 1000);
    // The warm-up and the acquire that found the store hung, and at most a thousand writes.
    expect(pending()).toBeLessThanOrEqual(1002);
    expect(lines).toEqual([["warn", expect.stringMatching(/no answer in time/)]]);
  });
});

describe("a process whose store is down", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  test.each([
    ["refused", () => Promise.reject(refused), 600_000],
    ["hung", () => new Promise<never>(() => {}), 50],
  ])(
    "%s, is not kept alive by the writes nothing waits for: a short-lived process exits at once",
    async (_, acquired, timeoutMs) => {
      const { asked, client } = scriptedStore((operation) =>
        operation === "acquire" ? acquired() : new Promise<never>(() => {}),
      );
      const { logger } = recordingLogger();
      const pacer = createRedisPacer(client, { logger, timeoutMs });
      // The pacer's own timers, not the process's (another test's may come and go meanwhile): each one left must
      // be cleared or unref'd, as only those would keep a process alive.
      const created: NodeJS.Timeout[] = [];
      const cleared = new Set<unknown>();
      const { setTimeout: set, clearTimeout: clear } = globalThis;
      const setSpy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((
        ...args: Parameters<typeof set>
      ) => {
        const timer = set(...args);
        created.push(timer);
        return timer;
      }) as typeof setTimeout);
      const clearSpy = vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
        cleared.add(timer);
        clear(timer);
      });
      try {
        (await pacer.acquire("sha256:exiting"))();
        await afterIo();
      } finally {
        setSpy.mockRestore();
        clearSpy.mockRestore();
      }
      expect(pacer.fallingBack).toBe(true);
      expect(asked).toEqual(expect.arrayContaining(["take", "release"]));
      expect(created.length).toBeGreaterThan(0);
      expect(created.filter((timer) => !cleared.has(timer) && timer.hasRef())).toEqual([]);
    },
  );
});

describe("an acquire's reply of another shape than the script's", () => {
  test.each([
    ["a nested array", [[1], 0]],
    ["a hex string", ["0x1", 0]],
    ["a boolean", [true, 0]],
    ["a fraction", ["1.0", 0]],
    ["a third element", [1, 0, "extra"]],
    ["an empty string", ["", 0]],
    ["a wait in hex", [0, "0x10"]],
  ])("%s is no grant: the push paces locally, said once", async (_, reply) => {
    const { client } = scriptedStore(async (operation) => (operation === "acquire" ? reply : [1, 0]));
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 60_000 });
    (await pacer.acquire("sha256:shape"))();
    expect(pacer.fallingBack).toBe(true);
    expect(lines).toEqual([["warn", expect.stringMatching(/unexpected reply/)]]);
  });

  test.each([
    ["numbers", [1, 0]],
    ["decimal strings", ["1", "0"]],
    ["bigints", [1n, 0n]],
  ])("a grant as %s is a grant", async (_, reply) => {
    const { client } = scriptedStore(async (operation) => (operation === "acquire" ? reply : [1, 0]));
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger });
    (await pacer.acquire("sha256:shape"))();
    expect(pacer.fallingBack).toBe(false);
    expect(lines).toEqual([]);
  });
});

describe("a host clock set back", () => {
  test("does not hold local pacing past retryStoreMs: the store is taken back by the next write it answers", async () => {
    let answerTake!: () => void;
    const takeAnswered = new Promise<void>((resolve) => {
      answerTake = resolve;
    });
    const { client } = scriptedStore(async (operation) => {
      if (operation === "acquire")
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      if (operation === "take") await takeAnswered;
      return [1, 0];
    });
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 0 });
    const wallClock = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(wallClock);
    try {
      (await pacer.acquire("sha256:clock"))();
      expect(pacer.fallingBack).toBe(true);
      // NTP steps the wall clock an hour back while the local slot's write is on its way.
      clock.mockReturnValue(wallClock - 60 * 60_000);
      answerTake();
      await afterIo();
      expect(pacer.fallingBack).toBe(false);
      expect(lines.map(([level]) => level)).toEqual(["warn", "info"]);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("waiters queued behind a long pause", () => {
  test("an abort of a waiter behind another rejects it at once, not when the one ahead gets its slot", async () => {
    const { client } = scriptedStore(async (operation) =>
      operation === "acquire" ? [0, 2 * 60 * 60_000] : [1, 0],
    );
    const { logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger });
    const ahead = new AbortController();
    const behind = new AbortController();
    const first = pacer.acquire("sha256:paused", ahead.signal);
    const second = pacer.acquire("sha256:paused", behind.signal);
    first.catch(() => {});
    await afterIo();
    behind.abort(new Error("gave up"));
    await expect(second).rejects.toThrow("gave up");
    ahead.abort(new Error("stopped"));
    await expect(first).rejects.toThrow("stopped");
  });
});
