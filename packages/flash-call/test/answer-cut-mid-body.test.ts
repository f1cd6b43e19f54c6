// An answer whose head came and whose body did not, against the real mock server and the runtime's own fetch (the
// path a Node user meets): a connection that dies part way through the body is a retryable network failure, and a
// body that stalls is ended by the attempt's timeout; both are retried, and nothing of the key is in what is said.
//
// The stalled body's timeout is an injected clock (held-timers), fired once the stalled answer's head has reached
// fetch (undici's `undici:request:headers` channel): no outcome depends on how fast this machine runs.

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { inspect } from "node:util";
import { type FlashdutyError, FlashdutyNetworkError, FlashdutyTimeoutError } from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { holdTimers } from "../../../test-support/held-timers.js";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { createFlashCall } from "../src/flash-call.js";
import type { ResponseInfo, RetryInfo } from "../src/hooks.js";
import type { FlashCallOptions } from "../src/options.js";

// Characters URL-encoding changes, so the encoded form is looked for as well.
const KEY = "cutBODY+Secret/Key=7731";
/** An attempt timeout nothing else uses, so the held clock holds exactly these timers. */
const HELD_TIMEOUT_MS = 987_654;

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

/** Everything a push said: hook infos, log lines, and its error or result, each printed every way it can be. */
function observed() {
  const said: unknown[] = [];
  const retries: RetryInfo[] = [];
  const responses: ResponseInfo[] = [];
  const log = (line: string, ...details: unknown[]) => void said.push(line, ...details);
  const options: FlashCallOptions = {
    baseUrl: mock.baseUrl,
    integrationKey: KEY,
    backoff: { baseMs: 1, maxMs: 5 },
    logger: { debug: log, info: log, warn: log, error: log },
    logLevel: "debug",
    onRequest: (info) => void said.push(info),
    onResponse: (info) => {
      responses.push(info);
      said.push(info);
    },
    onRetry: (info) => {
      retries.push(info);
      said.push(info, info.error);
    },
    onError: (info) => void said.push(info, info.error),
  };
  const text = () =>
    said
      .map((value) => {
        const parts = [inspect(value, { depth: 8, showHidden: true })];
        if (value instanceof Error) parts.push(String(value), value.stack ?? "", JSON.stringify(value));
        return parts.join("\n");
      })
      .join("\n");
  return { said, retries, responses, options, text };
}

const event = { title_rule: "answer cut mid-body", event_status: "Critical" as const };

describe("an answer cut part way through its body", () => {
  test("is a retryable FlashdutyNetworkError: retried, then delivered", async () => {
    const seen = observed();
    const flashduty = createFlashCall({ ...seen.options, maxRetries: 2 });
    mock.failNext([{ kind: "cut-body" }, { kind: "cut-body" }]);
    const result = await flashduty.push(event);
    await flashduty.close();

    expect(result.data.alert_key).toBe(mock.events[0]?.alert_key);
    expect(mock.events).toHaveLength(1);
    expect(mock.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, "cut-body"],
      [200, "cut-body"],
      [200, undefined],
    ]);
    expect(seen.retries).toHaveLength(2);
    for (const retry of seen.retries) {
      expect(FlashdutyNetworkError.isInstance(retry.error)).toBe(true);
      expect(retry).toMatchObject({ code: "NetworkError", status: 200, ok: false });
      expect(retry.error.retryable).toBe(true);
      // Flashduty was reached and began to answer: the error says so, with the status that came.
      expect(retry.error.status).toBe(200);
      expect(retry.error.message).toMatch(/^Flashduty's answer \(HTTP 200\) was cut short: \S/);
    }
    expect(leakedPieces(seen.text(), [KEY])).toEqual([]);
  });

  test("cut on every attempt: the push fails with that error, and no piece of the key is in anything said", async () => {
    const seen = observed();
    const flashduty = createFlashCall({ ...seen.options, maxRetries: 1 });
    mock.failNext([{ kind: "cut-body" }, { kind: "cut-body" }]);
    const error = await flashduty.push(event).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await flashduty.close();
    seen.said.push(error);

    expect(FlashdutyNetworkError.isInstance(error)).toBe(true);
    expect((error as FlashdutyError).retryable).toBe(true);
    expect((error as FlashdutyError).toJSON()).toMatchObject({ code: "NetworkError", status: 200 });
    expect(mock.requests).toHaveLength(2);
    expect(mock.events).toEqual([]);
    const text = seen.text();
    expect(leakedPieces(text, [KEY])).toEqual([]);
    // The scan looks where the key would be: the masked integration is there.
    expect(text).toMatch(/integration/);
  });
});

describe("an answer whose body stalls part way", () => {
  test("ends at timeoutMs as a FlashdutyTimeoutError, is retried, then delivered", async () => {
    const timers = holdTimers(HELD_TIMEOUT_MS);
    // The stalled answer's head reached fetch: once the SDK has it in hand (its read of the body under way), the
    // attempt's time is up. Only the first answer's: the retry's timer must not fire.
    let heads = 0;
    const onHeaders = () => {
      heads += 1;
      if (heads === 1) setImmediate(() => timers.fireAll());
    };
    subscribe("undici:request:headers", onHeaders);
    const seen = observed();
    const flashduty = createFlashCall({ ...seen.options, maxRetries: 1, timeoutMs: HELD_TIMEOUT_MS });
    try {
      mock.failNext({ kind: "stalled-body" });
      const result = await flashduty.push(event);
      expect(result.data.alert_key).toBe(mock.events[0]?.alert_key);
    } finally {
      unsubscribe("undici:request:headers", onHeaders);
      timers.restore();
      await flashduty.close();
    }

    expect(mock.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, "stalled-body"],
      [200, undefined],
    ]);
    expect(seen.retries).toHaveLength(1);
    const [retry] = seen.retries;
    expect(FlashdutyTimeoutError.isInstance(retry?.error)).toBe(true);
    expect(retry?.error.retryable).toBe(true);
    expect(retry?.error.message).toContain(String(HELD_TIMEOUT_MS));
    // Status 200: the head had come, so it was the body's read that the timeout ended.
    expect(retry).toMatchObject({ code: "Timeout", status: 200 });
    expect(leakedPieces(seen.text(), [KEY])).toEqual([]);
  });

  test("stalled on every attempt: the push fails with a FlashdutyTimeoutError after its retries", async () => {
    const seen = observed();
    // Every answer stalls, so only the timeout ends each attempt, however fast or slow this machine is.
    const flashduty = createFlashCall({ ...seen.options, maxRetries: 1, timeoutMs: 150 });
    mock.failNext([{ kind: "stalled-body" }, { kind: "stalled-body" }]);
    const error = await flashduty.push(event).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await flashduty.close();
    seen.said.push(error);

    expect(FlashdutyTimeoutError.isInstance(error)).toBe(true);
    expect((error as FlashdutyError).retryable).toBe(true);
    expect(mock.requests.map((request) => request.fault)).toEqual(["stalled-body", "stalled-body"]);
    expect(mock.events).toEqual([]);
    expect(leakedPieces(seen.text(), [KEY])).toEqual([]);
  });
});
