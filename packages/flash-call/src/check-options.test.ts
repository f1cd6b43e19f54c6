import { FlashdutyConfigError, registerSecret } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { checkCallOptions, checkOptions } from "./check-options.js";

/** The FlashdutyConfigError `check` throws. */
function configError(check: () => unknown): FlashdutyConfigError {
  try {
    check();
  } catch (error) {
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    return error as FlashdutyConfigError;
  }
  throw new Error("expected a FlashdutyConfigError");
}

describe("checkOptions", () => {
  test.each([
    ["timeoutMs", { timeoutMs: 1500.5 }],
    ["timeoutMs", { timeoutMs: -1 }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["maxRetries", { maxRetries: -1 }],
    ["maxRetries", { maxRetries: Number.NaN }],
    ["concurrency", { concurrency: 0 }],
    ["maxQueue", { maxQueue: 0 }],
    ["maxRetryAfterMs", { maxRetryAfterMs: -5 }],
    ["rateLimit.perSecond", { rateLimit: { perSecond: 0 } }],
    ["rateLimit.perMinute", { rateLimit: { perMinute: 2.5 } }],
    ["backoff.baseMs", { backoff: { baseMs: Number.NaN } }],
    ["backoff.maxMs", { backoff: { maxMs: "10" } }],
    // Every retry's wait would be Infinity: a push that never settles.
    ["backoff.baseMs", { backoff: { baseMs: Number.POSITIVE_INFINITY, maxMs: Number.POSITIVE_INFINITY } }],
    ["backoff.baseMs", { backoff: { baseMs: Number("1e309") } }],
  ])("a nonsensical %s is a ConfigError naming it", (name, options) => {
    expect(configError(() => checkOptions(options)).message).toMatch(
      new RegExp(`^${name.replace(".", "\\.")} must be a (whole |finite )?number, [01] or more; got `),
    );
  });

  test("accepts what the rules allow: zero retries, Infinity for times, no pacing", () => {
    expect(() =>
      checkOptions({
        maxRetries: 0,
        maxRetryAfterMs: Number.POSITIVE_INFINITY,
        backoff: { maxMs: 0 },
        rateLimit: false,
      }),
    ).not.toThrow();
  });

  test.each([
    ["integrationKey", { integrationKey: 42 }, "a string, not 42"],
    ["fetch", { fetch: "fetch" }, "a function"],
    ["onRetry", { onRetry: {} }, "a function"],
    ["logLevel", { logLevel: "loud" }, "debug, info, warn, error, silent"],
    ["rateLimit", { rateLimit: true }, "{ perSecond, perMinute }, { pacer } or false"],
    ["telemetry", { telemetry: 1 }, "{ tracer, meter } or false"],
    ["retryOn", { retryOn: "5xx" }, 'an array such as ["429", "5xx"]'],
    ["labels", { labels: "service=billing" }, "an object"],
  ])("%s of the wrong type is a ConfigError saying what it must be", (name, options, expected) => {
    const message = configError(() => checkOptions(options)).message;
    expect(message.startsWith(`${name} must be ${expected}`)).toBe(true);
  });

  test("rateLimit.pacer must be a pacer, and carries its own limits: perSecond beside it is refused", () => {
    const pacer = { acquire: async () => () => {}, pause: () => {} };
    expect(checkOptions({ rateLimit: { pacer } }).rateLimit).toEqual({ pacer });
    expect(() => checkOptions({ rateLimit: { perSecond: 10 } })).not.toThrow();
    expect(configError(() => checkOptions({ rateLimit: { pacer: {} } })).message).toBe(
      "rateLimit.pacer must have the methods acquire and pause; got an object.",
    );
    expect(configError(() => checkOptions({ rateLimit: { pacer, perSecond: 10 } })).message).toBe(
      "rateLimit.perSecond and perMinute do not apply with a pacer: give them to the pacer.",
    );
  });

  test("telemetry's tracer and meter must be OpenTelemetry's", () => {
    expect(configError(() => checkOptions({ telemetry: { tracer: {} } })).message).toBe(
      "telemetry.tracer must have the methods startSpan; got an object.",
    );
    expect(configError(() => checkOptions({ telemetry: { meter: 1 } })).message).toBe(
      "telemetry.meter must have the methods createHistogram; got 1.",
    );
    expect(checkOptions({ telemetry: false }).telemetry).toBe(false);
  });

  test("never quotes a string option: it may hold the key", () => {
    const key = "k3y-material-that-must-not-leak-0123";
    expect(configError(() => checkOptions({ logLevel: key })).message).not.toContain(key.slice(0, 8));
  });

  test("reads each option once into a plain copy, so a later change of the caller's object changes nothing", () => {
    let reads = 0;
    const given = {
      get timeoutMs() {
        reads++;
        return 500;
      },
    };
    const options = checkOptions(given);
    expect(options.timeoutMs).toBe(500);
    expect(reads).toBe(1);
    expect(Object.getOwnPropertyDescriptor(options, "timeoutMs")?.value).toBe(500);
  });

  test("a getter or Proxy trap that throws is a ConfigError, not a crash", () => {
    expect(
      configError(() =>
        checkOptions({
          get maxQueue(): number {
            throw new Error("boom");
          },
        }),
      ).message,
    ).toBe("maxQueue could not be read: its getter threw.");
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(configError(() => checkOptions(proxy)).message).toMatch(/could not be read/);
    expect(configError(() => checkOptions(null)).message).toBe("Options must be an object, not null.");
  });

  test("copies labels into an object without a prototype, so a label named __proto__ stays a label", () => {
    const labels = JSON.parse('{"__proto__":"x","host":"a"}') as Record<string, string>;
    const copy = checkOptions({ labels }).labels ?? {};
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(Object.keys(copy)).toEqual(["__proto__", "host"]);
  });

  test("default labels JSON would not carry (a Map's entries, inherited fields) are a ConfigError", () => {
    expect(
      configError(() => checkOptions({ labels: new Map([["service", "billing"]]) as never })).message,
    ).toBe("labels is a Map: pass Object.fromEntries(map).");
    expect(configError(() => checkOptions({ labels: Object.create({ service: "billing" }) })).message).toBe(
      'labels inherits "service": pass own fields, e.g. { ...labels }.',
    );
  });

  test("object options are copied, each field read once: a getter cannot answer differently after the check", () => {
    const reads = { perSecond: 0, baseMs: 0 };
    const rateLimit = {
      get perSecond() {
        return reads.perSecond++ === 0 ? 10 : 0;
      },
    };
    const backoff = {
      get baseMs() {
        return reads.baseMs++ === 0 ? 5 : Number.NaN;
      },
    };
    const options = checkOptions({ rateLimit, backoff });
    expect(options.rateLimit).toEqual({ perSecond: 10 });
    expect(options.backoff).toEqual({ baseMs: 5 });
    expect(reads).toEqual({ perSecond: 1, baseMs: 1 });
  });

  test("retryOn is copied once, and one that cannot be read is a ConfigError", () => {
    const given = ["429", "5xx"];
    const copy = checkOptions({ retryOn: given }).retryOn;
    expect(copy).toEqual(given);
    expect(copy).not.toBe(given);
    const throwing = new Proxy(["5xx"], {
      get(target, name) {
        if (name === "length") throw new Error("trap");
        return Reflect.get(target, name);
      },
    });
    expect(configError(() => checkOptions({ retryOn: throwing })).message).toBe(
      "Options could not be read: a getter or Proxy trap threw.",
    );
    const entry = Object.defineProperty([] as string[], "0", {
      get() {
        throw new Error("getter");
      },
      enumerable: true,
    });
    expect(configError(() => checkOptions({ retryOn: entry })).message).toBe(
      "Options could not be read: a getter or Proxy trap threw.",
    );
  });
});

describe("checkCallOptions", () => {
  test("checks a call's timeoutMs and maxRetries like the instance's", () => {
    expect(configError(() => checkCallOptions({ timeoutMs: 0 })).message).toMatch(/^timeoutMs must be/);
    expect(configError(() => checkCallOptions({ maxRetries: 1.5 })).message).toMatch(/^maxRetries must be/);
  });

  test("refuses a signal that is not an AbortSignal", () => {
    expect(configError(() => checkCallOptions({ signal: {} })).message).toBe(
      "signal must be an AbortSignal, not an object.",
    );
    expect(
      configError(() => checkCallOptions({ signal: { aborted: false, addEventListener: () => {} } })).message,
    ).toBe("signal must be an AbortSignal, not an object.");
    const controller = new AbortController();
    expect(checkCallOptions({ signal: controller.signal }).signal).toBe(controller.signal);
  });

  test("refuses what is no call option (an instance's option included), and needs no copy when there are none", () => {
    expect(() => checkCallOptions({ timeoutMs: 5, concurrency: 0 })).toThrow(
      /^"concurrency" is not one of a call's options: .*timeoutMs.*\. A misspelt option would be ignored, so none is\.$/,
    );
    expect(checkCallOptions({ timeoutMs: 5 })).toEqual({ timeoutMs: 5 });
    expect(checkCallOptions(undefined)).toEqual({});
  });

  test("a misspelt option is a ConfigError naming it, not a push sent with the default", () => {
    const misspelt = (options: object) => () => checkOptions(options as never);
    expect(misspelt({ timeout: 5000 })).toThrow(FlashdutyConfigError);
    expect(misspelt({ timeout: 5000 })).toThrow(
      /^"timeout" is not one of createFlashCall's options: .*timeoutMs/,
    );
    expect(misspelt({ retries: 0 })).toThrow(/"retries" is not one of .*maxRetries/);
    expect(misspelt({ rateLimit: { perSec: 5 } })).toThrow(
      /^"perSec" is not one of rateLimit's fields: perSecond, perMinute, pacer\./,
    );
    expect(misspelt({ backoff: { base: 1 } })).toThrow(
      /"base" is not one of backoff's fields: baseMs, maxMs\./,
    );
    // Only own enumerable names: an inherited or hidden one is no option given.
    expect(checkOptions(Object.create({ timeout: 5000 }))).toEqual({});
    // The name is quoted redacted and cut: a key written as a name does not show.
    const key = "misspelt-option-key-0001";
    registerSecret(key);
    expect(misspelt({ [key]: 1 })).toThrow(/^"\*\*\*\*#[0-9a-f]{6}" is not one of/);
    expect(misspelt({ ["x".repeat(10_000)]: 1 })).toThrow(/^"x{60,80}…" is not one of/);
  });
});
