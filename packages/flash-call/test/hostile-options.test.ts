// Every entry point of an instance, fed hostile options and events: a typed error (FlashdutyConfigError for options,
// FlashdutyValidationError for events), never a raw TypeError, and nothing sent.

import { FlashdutyConfigError, FlashdutyError, FlashdutyValidationError } from "@flash-call/errors";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { createFlashCall } from "../src/flash-call.js";
import type { CallOptions, FlashCallOptions } from "../src/options.js";
import { type HeldServer, startHeldServer } from "./held-server.js";
import { materialize, value } from "./hostile-values.js";

let server: HeldServer;
beforeAll(async () => {
  server = await startHeldServer();
  server.acceptAll();
});
afterAll(() => server.close());

const event = { title_rule: "t", event_status: "Info" } as const;
const throwingGetter = (name: string) =>
  Object.defineProperty({}, name, {
    enumerable: true,
    get() {
      throw new Error("getter");
    },
  });
const isConfigError = (error: unknown) =>
  FlashdutyError.isInstance(error) && error instanceof FlashdutyConfigError;
const isValidationError = (error: unknown) => FlashdutyValidationError.isInstance(error);

describe("hostile options are FlashdutyConfigErrors", () => {
  test.each<[string, unknown]>([
    ["null options", null],
    ["a string as options", "https://api.flashcat.cloud"],
    ["a throwing getter", throwingGetter("timeoutMs")],
    [
      "a number with a throwing toString",
      {
        timeoutMs: {
          toString: () => {
            throw new Error("x");
          },
        },
      },
    ],
    ["a baseUrl that is not a string", { baseUrl: new URL("https://api.flashcat.cloud") }],
    ["an integrationKey that is not a string", { integrationKey: 1234567890123456 }],
    ["labels that are a string", { labels: "host=db-1" }],
    ["labels whose getter throws", { labels: throwingGetter("host") }],
    ["a hook that is not a function", { onError: "log" }],
    ["an unknown logLevel", { logLevel: "loud" }],
    ["a backoff that is a number", { backoff: 100 }],
    ["a nested getter that throws", { rateLimit: throwingGetter("perSecond") }],
  ])("createFlashCall with %s", (_, options) => {
    let thrown: unknown;
    try {
      createFlashCall(options as FlashCallOptions);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
  });

  test.each<[string, unknown]>([
    ["null", null],
    ["a throwing getter", throwingGetter("integrationKey")],
    ["a signal that is not an AbortSignal", { signal: {} }],
    ["a baseUrl that is not a string", { baseUrl: 42 }],
  ])("call options that are %s: push, enqueue and prepare refuse them", async (_, call) => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent" });
    const before = server.received.length;
    await expect(flashduty.push(event, call as CallOptions)).rejects.toSatisfy(isConfigError);
    await expect(flashduty.enqueue(event, call as CallOptions)).rejects.toSatisfy(isConfigError);
    expect(() => flashduty.prepare(event, call as CallOptions)).toThrow(FlashdutyConfigError);
    expect(server.received.length).toBe(before);
  });

  test("a config error never quotes a string option (it may be the key)", () => {
    const key = "cfg0secret0a1b2c3d4e5f6a7b8c9d0e1";
    const shapes = [
      { baseUrl: [key] },
      { user: { key } },
      { integrationKey: key, timeoutMs: key },
      // Mistyped base URLs: a bare query, the key in the path of a relative URL, a wrong scheme.
      { baseUrl: `api.flashcat.cloud/event/push/alert/standard?${key}` },
      { baseUrl: `/event/push/${key}` },
      { baseUrl: `htps://api.flashcat.cloud/?integration_key=${key}` },
    ];
    for (const options of shapes) {
      let message = "";
      try {
        createFlashCall(options as unknown as FlashCallOptions);
      } catch (error) {
        expect(isConfigError(error)).toBe(true);
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      for (let start = 0; start + 8 <= key.length; start++)
        expect(message).not.toContain(key.slice(start, start + 8));
    }
  });
});

describe("hostile events through the instance are FlashdutyValidationErrors", () => {
  test("resolve with extra fields that are null or throw: a rejection, never a synchronous TypeError", async () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent" });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const extra of [null, 42, revoked.proxy, throwingGetter("title_rule")]) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = flashduty.resolve("k", extra as never);
      }).not.toThrow();
      await expect(pending).rejects.toSatisfy(isValidationError);
    }
  });

  test("fire's handle does not read the event again after it was delivered", async () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent" });
    let reads = 0;
    const once = {
      event_status: "Warning",
      alert_key: "fired",
      get title_rule() {
        if (++reads > 1) throw new Error("read twice");
        return "fired once";
      },
    };
    const handle = await flashduty.fire(once as never);
    expect(handle.alert_key).toBe("fired");
  });

  test("a label named __proto__ reaches Flashduty as a label, from the event and from the instance's labels", async () => {
    const flashduty = createFlashCall({
      pushUrl: server.pushUrl,
      logLevel: "silent",
      user: "ops",
      labels: JSON.parse('{"__proto__":"default","team":"sre"}'),
    });
    const start = server.received.length;
    await flashduty.push(JSON.parse('{"title_rule":"t","event_status":"Info","labels":{"__proto__":"own"}}'));
    await flashduty.enqueue({ title_rule: "t", event_status: "Info" });
    const [own, fromDefaults] = server.received.slice(start).map((push) => push.event as { labels: object });
    expect(Object.entries(own?.labels ?? {})).toEqual([
      ["__proto__", "own"],
      ["team", "sre"],
      ["user_id", "ops"],
    ]);
    expect(Object.entries(fromDefaults?.labels ?? {})).toEqual([
      ["__proto__", "default"],
      ["team", "sre"],
      ["user_id", "ops"],
    ]);
  });
});

describe("properties", () => {
  const optionNames = [
    "integrationKey",
    "pushUrl",
    "baseUrl",
    "user",
    "strategy",
    "labels",
    "fetch",
    "timeoutMs",
    "maxRetries",
    "retryOn",
    "backoff",
    "maxRetryAfterMs",
    "rateLimit",
    "maxQueue",
    "concurrency",
    "logger",
    "logLevel",
    "strict",
    "onRequest",
    "onError",
  ];
  const someOf = (names: string[]) =>
    fc.record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] });

  test("createFlashCall with hostile options: an instance or a FlashdutyConfigError", () => {
    fc.assert(
      fc.property(fc.oneof(someOf(optionNames), value), (options) => {
        try {
          createFlashCall(materialize(options) as FlashCallOptions);
        } catch (error) {
          expect(isConfigError(error)).toBe(true);
        }
      }),
      propertyOptions("createFlashCall with hostile options: an instance or a FlashdutyConfigError", {
        numRuns: 1000,
      }),
    );
  });

  test("prepare with hostile call options and events: a payload, a FlashdutyConfigError or a FlashdutyValidationError", () => {
    const flashduty = createFlashCall({ pushUrl: server.pushUrl, logLevel: "silent" });
    const callNames = ["integrationKey", "pushUrl", "baseUrl", "signal", "timeoutMs", "maxRetries"];
    fc.assert(
      fc.property(fc.oneof(someOf(callNames), value, fc.constant(undefined)), value, (call, hostileEvent) => {
        try {
          flashduty.prepare(materialize(hostileEvent) as never, materialize(call) as CallOptions);
        } catch (error) {
          expect(isConfigError(error) || isValidationError(error)).toBe(true);
        }
      }),
      propertyOptions(
        "prepare with hostile call options and events: a payload, a FlashdutyConfigError or a Flash",
        { numRuns: 1000 },
      ),
    );
  });
});
