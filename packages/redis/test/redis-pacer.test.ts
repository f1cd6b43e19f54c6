import { startMockServer } from "@flash-call/testing";
import { createFlashCall, type FlashCallEvent } from "flash-call";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { type RedisServer, redisUnavailable, startRedisServer } from "../../../test-support/redis-server.js";
import { PACING_SCRIPT, pacingScriptSha } from "../src/pacing-script.js";
import { createRedisPacer } from "../src/redis-pacer.js";
import { scriptRunner } from "../src/script-runner.js";

/** A connected client of each kind the pacer supports, and how to close it. */
const CLIENTS = {
  "node-redis": async (url: string) => {
    const client = createClient({ url });
    client.on("error", () => {});
    await client.connect();
    return { client, close: () => client.destroy() };
  },
  ioredis: async (url: string) => {
    const client = new Redis(url, { lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    return { client, close: () => client.disconnect() };
  },
} as const;

const KEY = "r3d1sk3yr3d1sk3yr3d1sk3yr3d1s001";
const event = (index: number): FlashCallEvent => ({
  title_rule: `storm ${index}`,
  event_status: "Critical",
  alert_key: `storm-${index}`,
});

/** A logger that records each line and can be waited on for one. */
function recordingLogger() {
  const lines: Array<[string, string]> = [];
  const waiters: Array<[string, () => void]> = [];
  const log = (level: string) => (message: string) => {
    lines.push([level, message]);
    for (const [wanted, wake] of waiters) if (level === wanted) wake();
  };
  return {
    lines,
    logger: { warn: log("warn"), info: log("info") },
    next: (level: string) => new Promise<void>((resolve) => waiters.push([level, resolve])),
  };
}

/** What the pacer asked a node-redis-like client: the script's first argument (acquire, take, release, …). */
function scriptedStore(answer: (asked: string) => Promise<unknown>) {
  const asked: string[] = [];
  const client = {
    sendCommand(command: string[]) {
      const what = command[5] ?? command[0] ?? "";
      asked.push(what);
      return answer(what);
    },
  };
  return { asked, client };
}

describe("while the store is down, no push waits for it", () => {
  test("a store that hangs is waited for once: the next pushes pace locally at once, only writing their slots to it", async () => {
    const { asked, client } = scriptedStore(() => new Promise<never>(() => {}));
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, timeoutMs: 20, retryStoreMs: 0 });
    for (let push = 0; push < 5; push++) (await pacer.acquire("hung"))();
    expect(asked.filter((what) => what === "acquire")).toHaveLength(1);
    expect(asked.filter((what) => what === "take")).toHaveLength(5);
    expect(pacer.fallingBack).toBe(true);
    expect(lines).toEqual([["warn", expect.stringMatching(/no answer in time/)]]);
  });

  test.each([
    ["23 days", [0, 2_000_000_000]],
    ["a negative wait", [0, -5]],
    ["no wait at all", [0, "soon"]],
  ])("a store asking for %s is not believed: the push paces locally at once", async (_, reply) => {
    const { asked, client } = scriptedStore(async (what) => (what === "acquire" ? reply : [1, 0]));
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 60_000 });
    (await pacer.acquire("hostile"))();
    expect(asked.filter((what) => what === "acquire")).toHaveLength(1);
    expect(pacer.fallingBack).toBe(true);
    expect(lines).toEqual([["warn", expect.stringMatching(/the pacing store failed/)]]);
  });

  test("a store asking for a two-hour pause (a 429 honoured with maxRetryAfterMs of hours) is believed", async () => {
    let answered!: () => void;
    const replied = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const { client } = scriptedStore(async (what) => {
      if (what !== "acquire") return [1, 0];
      queueMicrotask(answered);
      return [0, 2 * 60 * 60_000];
    });
    const { lines, logger } = recordingLogger();
    const pacer = createRedisPacer(client, { logger });
    const stop = new AbortController();
    const acquiring = pacer.acquire("paused", stop.signal);
    await replied;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pacer.fallingBack).toBe(false);
    expect(lines).toEqual([]);
    stop.abort(new Error("stopped"));
    await expect(acquiring).rejects.toThrow("stopped");
  });

  test("the first local slot's write the store answers brings shared pacing back, said once", async () => {
    let up = false;
    const { asked, client } = scriptedStore((what) =>
      up
        ? Promise.resolve(what === "acquire" ? [1, 0] : 1)
        : Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    );
    const { lines, logger, next } = recordingLogger();
    const pacer = createRedisPacer(client, { logger, retryStoreMs: 0 });
    (await pacer.acquire("back"))();
    expect(pacer.fallingBack).toBe(true);
    up = true;
    const back = next("info");
    (await pacer.acquire("back"))();
    await back;
    expect(pacer.fallingBack).toBe(false);
    asked.length = 0;
    (await pacer.acquire("back"))();
    expect(asked[0]).toBe("acquire");
    expect(
      lines.map(([level, line]) => [level, line.includes("ECONNREFUSED") || line.includes("again")]),
    ).toEqual([
      ["warn", true],
      ["info", true],
    ]);
  });
});

describe.skipIf(redisUnavailable !== undefined)("createRedisPacer against a real redis-server", () => {
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    admin.on("error", () => {});
    await admin.connect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await admin.sendCommand(["FLUSHALL"]);
  });
  afterAll(async () => {
    admin.destroy();
    await redis.stop();
  });

  const connect = async (kind: keyof typeof CLIENTS) => {
    const { client, close } = await CLIENTS[kind](redis.url);
    closers.push(close);
    return client;
  };

  test("EVALSHA runs the script Redis knows by the SHA-1 SCRIPT LOAD gives; after SCRIPT FLUSH, EVAL loads it again", async () => {
    expect(await admin.sendCommand(["SCRIPT", "LOAD", PACING_SCRIPT])).toBe(await pacingScriptSha());
    await admin.sendCommand(["SCRIPT", "FLUSH"]);
    const run = scriptRunner(await connect("node-redis"));
    expect(await run(["t:{a}:sent", "t:{a}:pause"], ["acquire", "s1", "1", "10", "1000", "10"])).toEqual([
      1, 0,
    ]);
    expect(await admin.sendCommand(["SCRIPT", "EXISTS", await pacingScriptSha()])).toEqual([1]);
  });

  test("a setting no timer or fleet can live with is a config error naming its range, before the store is asked", () => {
    const asked: string[][] = [];
    const client = { sendCommand: async (command: string[]) => asked.push(command) };
    const refused = (options: object) => () => createRedisPacer(client, options);
    // Over the longest timer a runtime keeps, every store call's timer would fire at once.
    expect(refused({ timeoutMs: 2 ** 31 })).toThrow(
      /^timeoutMs must be a whole number from 1 to 2147483647\.$/,
    );
    // A process that dies holding a slot holds it this long, for every process of the fleet.
    expect(refused({ leaseMs: 86_400_001 })).toThrow(/^leaseMs must be a whole number from 1 to 86400000\.$/);
    expect(refused({ pollMs: 60_001 })).toThrow(/^pollMs must be a whole number from 1 to 60000\.$/);
    expect(refused({ leaseMs: 0 })).toThrow(/leaseMs must be a whole number from 1 to/);
    expect(asked).toEqual([]);
    // The longest of each is accepted.
    expect(() =>
      createRedisPacer(client, { timeoutMs: 2 ** 31 - 1, leaseMs: 86_400_000, pollMs: 60_000 }),
    ).not.toThrow();
  });

  test("a client of neither kind is a config error saying which clients work", () => {
    expect(() => createRedisPacer({} as never)).toThrow(/node-redis client .* or an ioredis client/);
  });

  describe.each(Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>)("with %s", (kind) => {
    test("both windows are taken together, per key: a refused attempt takes no slot, and slots in flight are not aged", async () => {
      const run = scriptRunner(await connect(kind));
      const keys = ["t:{k}:sent", "t:{k}:pause"] as const;
      const acquire = (slot: string) => run(keys, ["acquire", slot, "3", "5", "30000", "10"]);
      for (const slot of ["a", "b", "c"]) expect(await acquire(slot)).toEqual([1, 0]);
      // Three in flight fill the second: the fourth waits at most the poll interval (an answer may come any time).
      const [refused, pollWait] = (await acquire("d")) as number[];
      expect([refused, pollWait]).toEqual([0, 10]);
      expect(await admin.sendCommand(["ZCARD", keys[0]])).toBe(3);
      // Answered, they age out of the second from their answer: the wait is now exact, under a second.
      for (const slot of ["a", "b", "c"]) await run(keys, ["release", slot]);
      const [, secondWait] = (await acquire("d")) as number[];
      expect(secondWait).toBeGreaterThan(10);
      expect(secondWait).toBeLessThanOrEqual(1001);
      expect(await admin.sendCommand(["ZCARD", keys[0]])).toBe(3);
      // Another key has its own windows.
      expect(
        await run(["t:{other}:sent", "t:{other}:pause"], ["acquire", "x", "3", "5", "30000", "10"]),
      ).toEqual([1, 0]);
    });

    test("the minute window holds the fifth-and-later slots of a minute, whatever the second allows", async () => {
      const run = scriptRunner(await connect(kind));
      const keys = ["t:{m}:sent", "t:{m}:pause"] as const;
      for (const slot of ["a", "b"]) {
        expect(await run(keys, ["acquire", slot, "100", "2", "30000", "10"])).toEqual([1, 0]);
        await run(keys, ["release", slot]);
      }
      const [refused, wait] = (await run(keys, ["acquire", "c", "100", "2", "30000", "10"])) as number[];
      expect(refused).toBe(0);
      expect(wait).toBeGreaterThan(50_000);
      expect(wait).toBeLessThanOrEqual(60_001);
    });

    test("a store slower than timeoutMs: the acquire is paced locally at once, and the store learns of that slot", async () => {
      const client = await connect(kind);
      const { logger, lines } = recordingLogger();
      const pacer = createRedisPacer(client, { logger, timeoutMs: 50 });
      const sent = "flash-call:pace:{slow}:sent";
      // Every client's commands wait 500 ms: the store is alive but slower than the 50 ms bound given here.
      await admin.sendCommand(["CLIENT", "PAUSE", "500", "ALL"]);
      const release = await pacer.acquire("slow");
      expect(pacer.fallingBack).toBe(true);
      expect(lines).toEqual([["warn", expect.stringMatching(/no answer in time.*pacing locally at 25%/)]]);
      release();
      // The pacer's commands run in order on its connection: once this one is answered, the store has the slot.
      await scriptRunner(client)([sent, "flash-call:pace:{slow}:pause"], ["cancel", "none"]);
      const [member, score] = (await admin.sendCommand([
        "ZRANGE",
        sent,
        "0",
        "-1",
        "WITHSCORES",
      ])) as string[];
      expect(member).toEqual(expect.any(String));
      // Released: it ages out from its answer, not after a lease.
      const [seconds] = (await admin.sendCommand(["TIME"])) as string[];
      expect(Number(score)).toBeLessThanOrEqual(Number(seconds) * 1000 + 1000);
    });

    test("a 429 seen by one process pauses every process sharing the key, in the store", async () => {
      const mock = await startMockServer({ rateLimit: false });
      closers.push(() => mock.close());
      const first = createFlashCall({
        pushUrl: mock.pushUrl,
        rateLimit: { pacer: createRedisPacer(await connect(kind)) },
        maxRetries: 0,
        logLevel: "silent",
      });
      mock.failNext({ kind: "error", code: "RequestTooFrequently", retryAfter: 30 });
      await expect(first.push(event(1))).rejects.toMatchObject({ code: "RequestTooFrequently" });
      // Another process (its own client and pacer) is refused by the store, told to wait out the pause.
      const [pauseKey] = (await admin.sendCommand(["KEYS", "flash-call:pace:*:pause"])) as string[];
      expect(pauseKey).toBeDefined();
      const sentKey = (pauseKey ?? "").replace(/:pause$/, ":sent");
      const other = scriptRunner(await connect(kind));
      const [refused, wait] = (await other(
        [sentKey, pauseKey ?? ""],
        ["acquire", "o", "100", "1000", "30000", "10"],
      )) as number[];
      expect(refused).toBe(0);
      expect(wait).toBeGreaterThan(20_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    });

    test("three processes sharing one key never exceed the mock's strict windows, and the store knows only a hash of the key", async () => {
      const mock = await startMockServer({
        rateLimit: { perSecond: 10, perMinute: 1000 },
        integrationKeys: [KEY],
      });
      closers.push(() => mock.close());
      const fleet = await Promise.all(
        [1, 2, 3].map(async () =>
          createFlashCall({
            pushUrl: mock.pushUrl,
            rateLimit: { pacer: createRedisPacer(await connect(kind), { perSecond: 10 }) },
            maxRetries: 0,
            logLevel: "silent",
          }),
        ),
      );
      const outcomes = await Promise.allSettled(
        fleet.flatMap((instance, process) =>
          Array.from({ length: 12 }, (_, index) => instance.enqueue(event(process * 100 + index))),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
      expect(mock.requests.filter((request) => request.status === 429)).toHaveLength(0);
      expect(new Set(mock.events.map((received) => received.alert_key)).size).toBe(36);
      const stored = [
        ...((await admin.sendCommand(["KEYS", "*"])) as string[]),
        ...((await admin.sendCommand([
          "ZRANGE",
          ((await admin.sendCommand(["KEYS", "*:sent"])) as string[])[0] ?? "",
          "0",
          "-1",
        ])) as string[]),
      ].join("\n");
      expect(stored).toMatch(/flash-call:pace:\{sha256:[0-9a-f]{32}\}:sent/);
      for (let start = 0; start + 8 <= KEY.length; start++)
        expect(stored).not.toContain(KEY.slice(start, start + 8));
    });
  });

  describe.each(Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>)(
    "when the store goes down, with %s",
    (kind) => {
      test("mid-storm: nothing is lost, nothing waits unbounded; one line when it falls back, one when the store is back", async () => {
        const mock = await startMockServer({ rateLimit: false });
        closers.push(() => mock.close());
        const { lines, logger, next } = recordingLogger();
        // 40 a second: the first 40 get slots at once, the other 20 need the store a second later, when it is gone.
        const pacer = createRedisPacer(await connect(kind), { logger, retryStoreMs: 0, perSecond: 40 });
        const flashduty = createFlashCall({
          pushUrl: mock.pushUrl,
          rateLimit: { pacer },
          logLevel: "silent",
        });
        // The server dies (SIGKILL) once the tenth event has arrived, with the rest in flight or waiting for a slot.
        const tenth = new Promise<void>((resolve) =>
          mock.onEvent(() => {
            if (mock.events.length === 10) resolve();
          }),
        );
        const storm = Array.from({ length: 60 }, (_, index) => flashduty.enqueue(event(index)));
        await tenth;
        const fellBack = next("warn");
        await redis.stop();
        const results = await Promise.allSettled(storm);
        expect(results.filter((result) => result.status === "rejected")).toEqual([]);
        expect(new Set(mock.events.map((received) => received.alert_key)).size).toBe(60);
        await fellBack;
        expect(pacer.fallingBack).toBe(true);
        expect(lines.filter(([level]) => level === "warn")).toHaveLength(1);
        expect(lines[0]?.[1]).toMatch(/pacing locally at 25% of the budget/);

        // Back: the next pushes find the store again (the client reconnects by itself), and say so once.
        await redis.restart();
        const recovered = next("info");
        let pushes = 0;
        let back = false;
        void recovered.then(() => {
          back = true;
        });
        while (!back) {
          await flashduty.push(event(1000 + pushes++));
        }
        expect(pacer.fallingBack).toBe(false);
        expect(lines.map(([level]) => level)).toEqual(["warn", "info"]);
        expect(await admin.sendCommand(["PING"])).toBe("PONG");
      });
    },
  );
});
