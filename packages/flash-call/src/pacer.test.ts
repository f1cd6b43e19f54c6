import { FlashdutyAbortError, FlashdutyConfigError, maskKey } from "@flash-call/errors";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { keyIdFor, keyIdOf, type Pacer } from "./pacer.js";
import { RateLimiter } from "./rate-limiter.js";

const KEY = "p4c3rk3yp4c3rk3yp4c3rk3yp4c3r001";

describe("keyIdOf", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("is the first 128 bits of the key's SHA-256, never a piece of the key, the same on every call", async () => {
    const id = await keyIdOf(KEY);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(KEY)));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
    expect(id).toBe(`sha256:${hex.slice(0, 32)}`);
    for (let start = 0; start + 8 <= KEY.length; start++)
      expect(id).not.toContain(KEY.slice(start, start + 8));
    // Remembered: the second push with a key gets its id without waiting.
    expect(keyIdOf(KEY)).toBe(id);
  });

  test("without Web Crypto (a page over plain http) it is the key's FNV-1a fingerprint, still no piece of the key", () => {
    vi.stubGlobal("crypto", {});
    const key = "n0cryptok3yn0cryptok3yn0crypto01";
    const id = keyIdOf(key);
    expect(id).toBe(`fnv:${maskKey(key)}`);
    expect(keyIdOf(key)).toBe(id);
    expect(keyIdOf(`${key}x`)).not.toBe(id);
  });
});

describe("rateLimit.pacer", () => {
  test("every attempt takes its slot from the given pacer, known by the key's id; a 429 pauses it there", async () => {
    const taken: string[] = [];
    const released: string[] = [];
    const paused: Array<[string, number]> = [];
    const pacer: Pacer = {
      acquire: async (keyId) => {
        taken.push(keyId);
        return () => released.push(keyId);
      },
      pause: async (keyId, ms) => {
        paused.push([keyId, ms]);
      },
    };
    const answers = [
      () =>
        new Response('{"error":{"code":"RequestTooFrequently","message":"slow"}}', {
          status: 429,
          headers: { "retry-after": "0" },
        }),
      () => new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 }),
    ];
    const flashduty = createFlashCall({
      integrationKey: KEY,
      baseUrl: "https://flashduty.test",
      rateLimit: { pacer },
      backoff: { baseMs: 0, maxMs: 0 },
      fetch: async () => (answers.shift() ?? answers[0])!(),
    });
    await flashduty.push({ title_rule: "disk full", event_status: "Critical" });
    const id = await keyIdOf(KEY);
    expect(taken).toEqual([id, id]);
    expect(released).toEqual([id, id]);
    expect(paused.every(([keyId]) => keyId === id)).toBe(true);
  });

  test("a 429 without Retry-After pauses the pacer for the backoff's wait", async () => {
    const paused: number[] = [];
    const pacer: Pacer = { acquire: async () => () => {}, pause: (_keyId, ms) => void paused.push(ms) };
    let calls = 0;
    const flashduty = createFlashCall({
      integrationKey: KEY,
      baseUrl: "https://flashduty.test",
      rateLimit: { pacer },
      backoff: { baseMs: 5, maxMs: 5 },
      fetch: async () =>
        ++calls === 1
          ? new Response("", { status: 429 })
          : new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 }),
    });
    await flashduty.push({ title_rule: "disk full", event_status: "Critical" });
    expect(calls).toBe(2);
    expect(paused).toHaveLength(1);
    // At least the backoff's base, whatever this process's jittered wait was.
    expect(paused[0]).toBe(5);
  });
});

describe("keyIdFor", () => {
  test("gives the in-process RateLimiter a local id, never a piece of the key, the same for the key on every call", () => {
    const limiter = new RateLimiter();
    const id = keyIdFor(limiter, KEY);
    expect(id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(keyIdFor(new RateLimiter(), KEY)).toBe(id);
    expect(keyIdFor(limiter, `${KEY}x`)).not.toBe(id);
    // Asked again after another key: computed, not remembered, and still the same.
    expect(keyIdFor(limiter, KEY)).toBe(id);
  });

  test("gives each of many keys its own local id: keys one character apart never share a window", () => {
    const limiter = new RateLimiter();
    const ids = new Set<string>();
    for (let index = 0; index < 20_000; index++) {
      ids.add(keyIdFor(limiter, `${KEY.slice(0, 27)}${index.toString(36).padStart(5, "0")}`) as string);
    }
    expect(ids.size).toBe(20_000);
  });

  test("gives any other pacer the SHA-256 id, which every process computes alike", async () => {
    const pacer: Pacer = { acquire: async () => () => {}, pause: () => {} };
    expect(await keyIdFor(pacer, KEY)).toBe(await keyIdOf(KEY));
  });

  test("the default pacer's slots are taken under the local id: WebCrypto is not asked for a plain push", async () => {
    const digest = vi.spyOn(crypto.subtle, "digest");
    const acquire = vi.spyOn(RateLimiter.prototype, "acquire");
    const key = "l0calk3yl0calk3yl0calk3yl0cal001";
    const flashduty = createFlashCall({
      integrationKey: key,
      baseUrl: "https://flashduty.test",
      fetch: async () => new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 }),
    });
    await flashduty.push({ title_rule: "disk full", event_status: "Critical" });
    expect(acquire).toHaveBeenCalledWith(keyIdFor(new RateLimiter(), key), undefined);
    expect(digest).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  test.each([
    [
      "throws",
      () => () => {
        throw new Error("release failed");
      },
    ],
    ["is not a function", () => 42],
  ])("a pacer's release that %s does not fail a delivered push; it is logged", async (_name, makeRelease) => {
    const errors: string[] = [];
    const pacer = { acquire: async () => makeRelease(), pause: async () => {} } as unknown as Pacer;
    const flashduty = createFlashCall({
      integrationKey: "r3leasek3yr3leasek3yr3leasek3y01",
      baseUrl: "https://flashduty.test",
      rateLimit: { pacer },
      logger: { error: (line: unknown) => void errors.push(String(line)) },
      fetch: async () => new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 }),
    });
    await expect(
      flashduty.push({ title_rule: "disk full", event_status: "Critical" }),
    ).resolves.toMatchObject({
      data: { alert_key: "a1" },
    });
    expect(errors).toEqual([expect.stringContaining("the pacer's release failed")]);
  });

  test.each([
    [
      "rejects",
      async (): Promise<() => void> => {
        throw new Error(`store down for ${FAILING_KEY}`);
      },
    ],
    [
      "throws",
      (): Promise<() => void> => {
        throw new TypeError("acquire is broken");
      },
    ],
  ])(
    "a pacer whose acquire %s fails the push with a ConfigError naming the pacer, not an abort",
    async (_name, acquire) => {
      const sent: unknown[] = [];
      const failures: unknown[] = [];
      const flashduty = createFlashCall({
        integrationKey: FAILING_KEY,
        baseUrl: "https://flashduty.test",
        rateLimit: { pacer: { acquire, pause: () => {} } },
        onError: (info) => void failures.push(info.error),
        fetch: async (input) => {
          sent.push(input);
          return new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 });
        },
      });
      const error = await flashduty
        .push({ title_rule: "disk full", event_status: "Critical" })
        .catch((e) => e);
      expect(FlashdutyConfigError.isInstance(error)).toBe(true);
      expect(FlashdutyAbortError.isInstance(error)).toBe(false);
      expect(error).toMatchObject({ code: "ConfigError", retryable: false });
      expect(error.message).toMatch(
        /^rateLimit\.pacer's acquire\(\) failed: nothing was sent\. A pacer rejects only/,
      );
      expect(error.cause).toMatchObject({ message: expect.stringMatching(/store down|acquire is broken/) });
      expect(error.message).not.toContain(FAILING_KEY);
      expect(failures).toEqual([error]);
      expect(sent).toEqual([]);
    },
  );

  test("a pacer that rejects with its signal's reason when the push is aborted while waiting is an abort", async () => {
    const controller = new AbortController();
    let waiting: () => void = () => {};
    const asked = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const pacer: Pacer = {
      acquire: (_keyId, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          waiting();
        }),
      pause: () => {},
    };
    const flashduty = createFlashCall({
      integrationKey: FAILING_KEY,
      baseUrl: "https://flashduty.test",
      rateLimit: { pacer },
      fetch: async () => new Response('{"request_id":"r1","data":{"alert_key":"a1"}}', { status: 200 }),
    });
    const pushed = flashduty
      .push({ title_rule: "disk full", event_status: "Critical" }, { signal: controller.signal })
      .catch((e) => e);
    await asked;
    controller.abort(new Error("stop"));
    const error = await pushed;
    expect(FlashdutyAbortError.isInstance(error)).toBe(true);
    expect(error.code).toBe("Aborted");
  });
});

const FAILING_KEY = "f41l1ngk3yf41l1ngk3yf41l1ngk3y01";
