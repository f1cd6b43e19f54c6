import { createMockFlashduty } from "@flash-call/testing";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import { clearKey, pushAlert, resolveAlert, setKey } from "../src/index.js";

// Created before msw patches fetch: the SDK must look fetch up at call time.
const early = createFlashCall({ integrationKey: "msw-key", logLevel: "silent" });
const mock = createMockFlashduty();
const server = setupServer(...mock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  mock.reset();
  clearKey();
});
afterAll(() => server.close());

describe("the SDK under msw (no network)", () => {
  test("an instance created before msw listened still reaches msw", async () => {
    const result = await early.push({ title_rule: "early", event_status: "Info" });
    expect(mock.events[0]).toMatchObject({ title_rule: "early", alert_key: result.data.alert_key });
  });

  test("Python parity: setKey with user and strategy, pushAlert, resolveAlert", async () => {
    setKey("python-parity-key", { user: "ops", strategy: "cpu" });
    const response = await pushAlert({
      title_rule: "cpu idle low than 20%",
      event_status: "Warning",
      labels: { service: "engine", cluster: "nj" },
    });
    expect(response.data.alert_key).toEqual(expect.any(String));
    await resolveAlert(response.data.alert_key, { title_rule: "cpu idle recovered" });
    expect(mock.events.map((event) => [event.event_status, event.labels])).toEqual([
      ["Warning", { service: "engine", cluster: "nj", user_id: "ops", strategy_id: "cpu" }],
      ["Ok", { user_id: "ops", strategy_id: "cpu" }],
    ]);
    expect(mock.alerts.get(response.data.alert_key)?.status).toBe("resolved");
  });

  test("a custom fetch option is used for every request", async () => {
    let calls = 0;
    const flashduty = createFlashCall({
      integrationKey: "k",
      logLevel: "silent",
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    await flashduty.push({ title_rule: "t", event_status: "Info" });
    expect(calls).toBe(1);
  });
});
