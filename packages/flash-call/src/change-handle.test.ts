import { CHANGE_PUSH_PATH } from "@flash-call/core";
import { CHANGE_LIMITS } from "@flash-call/core/constants";
import { FlashdutyConfigError, FlashdutyValidationError, InternalServerError } from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { pushChange } from "./default-instance.js";
import { createFlashCall } from "./flash-call.js";
import type { AttemptInfo } from "./hooks.js";
import { prepareChange } from "./prepare-change.js";

let mock: MockServer;
beforeEach(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await mock.close();
});

const change = { title: "Deploy billing v2", change_status: "Processing" as const, change_key: "deploy-42" };
/** What the mock keeps of each change event: the payload as sent, without the receipt. */
const payloads = () =>
  mock.changeEvents.map(({ request_id: _id, received_at: _at, integration: _key, ...event }) => event);
/** The message of the error `promise` rejects with, checked to quote no piece of the mock's key. */
async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (thrown: unknown) => thrown as Error,
  );
  for (let at = 0; at + 8 <= mock.integrationKey.length; at++) {
    expect(error.message).not.toContain(mock.integrationKey.slice(at, at + 8));
  }
  return error;
}

describe("change events through the SDK", () => {
  test("change() sends to the change endpoint exactly what prepareChange gives", async () => {
    const flashduty = createFlashCall({ changePushUrl: mock.changePushUrl, labels: { service: "billing" } });
    const sent = {
      ...change,
      link: "https://ci.example/42",
      labels: { env: "prod" },
      event_time: new Date(1_700_000_000_000),
    };
    const answer = await flashduty.change(sent);
    expect(answer).toEqual({ request_id: mock.changeEvents[0]?.request_id });
    expect(payloads()).toEqual([prepareChange(sent, { baseLabels: { service: "billing" } }).event]);
    expect(mock.events).toEqual([]);
  });

  test("pushChange() reads FLASHDUTY_CHANGE_PUSH_URL, and FLASHDUTY_CHANGE_INTEGRATION_KEY with the base URL", async () => {
    vi.stubEnv("FLASHDUTY_CHANGE_PUSH_URL", mock.changePushUrl);
    await pushChange(change);
    vi.stubEnv("FLASHDUTY_CHANGE_PUSH_URL", "");
    vi.stubEnv("FLASHDUTY_CHANGE_INTEGRATION_KEY", mock.integrationKey);
    await pushChange({ ...change, change_status: "Done" }, { baseUrl: mock.baseUrl });
    expect(mock.changes.get("deploy-42")?.events.map((event) => event.change_status)).toEqual([
      "Processing",
      "Done",
    ]);
  });

  test("never the alert key: with only alert settings, a FlashdutyConfigError names the change places", async () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", mock.integrationKey);
    const flashduty = createFlashCall({ pushUrl: mock.pushUrl });
    const error = await rejection(flashduty.change(change));
    expect(error).toBeInstanceOf(FlashdutyConfigError);
    for (const place of [
      "changeIntegrationKey",
      "FLASHDUTY_CHANGE_INTEGRATION_KEY",
      "FLASHDUTY_CHANGE_PUSH_URL",
    ]) {
      expect(error.message).toContain(place);
    }
    expect(mock.requests).toEqual([]);
  });

  test("an alert push URL given for changes (and the reverse) is a clear FlashdutyConfigError", async () => {
    const error = await rejection(createFlashCall({ changePushUrl: mock.pushUrl }).change(change));
    expect(error).toBeInstanceOf(FlashdutyConfigError);
    expect(error.message).toContain("alert integration's");
    const reverse = await rejection(
      createFlashCall({ pushUrl: mock.changePushUrl }).push({ title_rule: "t", event_status: "Info" }),
    );
    expect(reverse).toBeInstanceOf(FlashdutyConfigError);
    expect(mock.requests).toEqual([]);
  });

  test("an invalid change never leaves the process; a truncation is logged as for alerts", async () => {
    const warn = vi.fn();
    const flashduty = createFlashCall({ changePushUrl: mock.changePushUrl, logger: { warn } });
    await expect(flashduty.change({ ...change, change_key: "" })).rejects.toBeInstanceOf(
      FlashdutyValidationError,
    );
    expect(mock.requests).toEqual([]);
    await flashduty.change({ ...change, description: "d".repeat(CHANGE_LIMITS.description + 1) });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("description was 2049 characters; truncated to 2048"),
    );
  });

  test("the same retries and hooks: a 500 is retried, the hooks see the change's key and path", async () => {
    const attempts: AttemptInfo[] = [];
    const flashduty = createFlashCall({
      changePushUrl: mock.changePushUrl,
      backoff: { baseMs: 1, maxMs: 1 },
      onRequest: (info) => {
        attempts.push(info);
      },
    });
    mock.failNext("InternalError");
    await flashduty.change(change);
    expect(attempts.map((info) => [info.attempt, info.change_key, info.event_status, info.path])).toEqual([
      [1, "deploy-42", "Processing", CHANGE_PUSH_PATH],
      [2, "deploy-42", "Processing", CHANGE_PUSH_PATH],
    ]);
    mock.failNext(["InternalError", "InternalError"]);
    await expect(flashduty.change(change, { maxRetries: 1 })).rejects.toBeInstanceOf(InternalServerError);
  });

  test("startChange: the handle remembers title, link and labels for update, done and cancel", async () => {
    const flashduty = createFlashCall({ changePushUrl: mock.changePushUrl });
    const handle = await flashduty.startChange({
      ...change,
      change_status: "Ready",
      link: "https://ci.example/42",
      labels: { env: "prod" },
      event_time: 1_900_000_000,
    });
    expect(handle.change_key).toBe("deploy-42");
    expect(handle.request_id).toBe(mock.changeEvents[0]?.request_id);
    await handle.update("Processing");
    await handle.done({ description: "all green" });
    await handle.cancel({ title: "Rolled back" });
    const remembered = {
      title: change.title,
      change_key: "deploy-42",
      link: "https://ci.example/42",
      labels: { env: "prod" },
    };
    expect(payloads().slice(1)).toEqual([
      { ...remembered, change_status: "Processing" },
      { ...remembered, change_status: "Done", description: "all green" },
      { ...remembered, change_status: "Canceled", title: "Rolled back" },
    ]);
    expect(mock.changes.get("deploy-42")?.status).toBe("Canceled");
  });

  test("a handle's update with fields that cannot be used rejects with a change event's validation error", async () => {
    const flashduty = createFlashCall({ changePushUrl: mock.changePushUrl });
    const handle = await flashduty.startChange(change);
    const unreadable = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    for (const extra of [42 as never, unreadable]) {
      // A promise is answered, not a throw: a caller's .catch() sees the refusal.
      let answered: Promise<unknown> | undefined;
      expect(() => {
        answered = handle.done(extra);
      }).not.toThrow();
      const error = await rejection(answered as Promise<unknown>);
      expect(error).toBeInstanceOf(FlashdutyValidationError);
      expect(error.message).toMatch(/^Invalid change event \(1 issue\)/);
    }
    expect(payloads()).toHaveLength(1);
  });
});
