import { CHANGE_PUSH_PATH } from "@flash-call/core";
import { CHANGE_LIMITS } from "@flash-call/core/constants";
import { maskKey } from "@flash-call/errors";
import { afterEach, describe, expect, test } from "vitest";
import { type MockServer, type MockServerOptions, startMockServer } from "./mock-server.js";

const change = { title: "Deploy billing v2", change_status: "Processing", change_key: "deploy-42" };
const servers: MockServer[] = [];

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as {
    request_id?: string;
    error?: { code: string; message: string };
  };
  return { status: response.status, body: answer };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("the mock's change endpoint (real HTTP on 127.0.0.1)", () => {
  test("accepts a change at its own push URL, answers { request_id } without data, and records it", async () => {
    const server = await start();
    expect(server.changePushUrl).toBe(
      `${server.url}${CHANGE_PUSH_PATH}?integration_key=${server.integrationKey}`,
    );
    const answer = await post(server.changePushUrl, {
      ...change,
      link: "https://ci.example/42",
      labels: { env: "prod" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ request_id: expect.any(String) });
    expect(server.changeEvents).toEqual([
      {
        ...change,
        link: "https://ci.example/42",
        labels: { env: "prod" },
        request_id: answer.body.request_id,
        received_at: expect.any(Number),
        integration: maskKey(server.integrationKey),
      },
    ]);
    // A change is not an alert.
    expect(server.events).toEqual([]);
    expect(server.alerts.size).toBe(0);
  });

  test("the changes view: each change_key with its events in order and its last status", async () => {
    const server = await start();
    const seen: string[] = [];
    server.onChange((received) => seen.push(received.change_status));
    for (const status of ["Ready", "Processing", "Canceled"]) {
      await post(server.changePushUrl, { ...change, change_status: status });
    }
    await post(server.changePushUrl, { ...change, change_key: "other", change_status: "Done" });
    expect([...server.changes.keys()]).toEqual(["deploy-42", "other"]);
    const record = server.changes.get("deploy-42");
    expect(record?.status).toBe("Canceled");
    expect(record?.events.map((event) => event.change_status)).toEqual(["Ready", "Processing", "Canceled"]);
    expect(seen).toEqual(["Ready", "Processing", "Canceled", "Done"]);
    server.reset();
    expect(server.changes.size).toBe(0);
    expect(server.changeEvents).toEqual([]);
  });

  test.each([
    ["no change_key", { title: "t", change_status: "Done" }, "change_key"],
    ["no title", { change_key: "k", change_status: "Done" }, "title"],
    ["a lowercase status", { ...change, change_status: "done" }, "change_status"],
    ["an alert's field", { ...change, title_rule: "x" }, "title_rule"],
    ["a blank change_key", { ...change, change_key: "  " }, "change_key"],
    ["milliseconds", { ...change, event_time: 1_700_000_000_000 }, "event_time"],
    [
      "too many labels",
      {
        ...change,
        labels: Object.fromEntries(
          Array.from({ length: CHANGE_LIMITS.labels_max + 1 }, (_, i) => [`l${i}`, "v"]),
        ),
      },
      "labels",
    ],
  ])("refuses %s with 400 InvalidParameter, as Flashduty would", async (_name, body, field) => {
    const server = await start();
    const answer = await post(server.changePushUrl, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("InvalidParameter");
    expect(answer.body.error?.message).toContain(field);
    expect(server.changeEvents).toEqual([]);
  });

  test("maxRecords and maxRecordBytes: the latest change events are kept, and the changes that still have one", async () => {
    const server = await start({ maxRecords: 3 });
    for (const change_key of ["a", "b", "busy", "busy", "busy"]) {
      expect((await post(server.changePushUrl, { ...change, change_key })).status).toBe(200);
    }
    expect(server.changeEvents.map((received) => received.change_key)).toEqual(["busy", "busy", "busy"]);
    expect([...server.changes.keys()]).toEqual(["busy"]);
    expect(server.changes.get("busy")?.events).toHaveLength(3);
    // A change's title has no documented limit: a long one counts by its size.
    const sized = await start({ maxRecordBytes: 100_000 });
    for (const change_key of ["one", "two", "three"]) {
      await post(sized.changePushUrl, { ...change, change_key, title: "t".repeat(40_000) });
    }
    expect([...sized.changes.keys()]).toEqual(["two", "three"]);
  });

  test("truncates what Flashduty truncates: the description and label values", async () => {
    const server = await start();
    const long = "x".repeat(CHANGE_LIMITS.description + 5);
    await post(server.changePushUrl, { ...change, description: long, labels: { note: long } });
    expect(server.changeEvents[0]?.description).toHaveLength(CHANGE_LIMITS.description);
    expect(server.changeEvents[0]?.labels?.note).toHaveLength(CHANGE_LIMITS.label_value);
  });

  test("rate limits per key, and faults apply to the change endpoint too", async () => {
    const server = await start({ rateLimit: { perSecond: 1, perMinute: 100 }, now: () => 1_000 });
    expect((await post(server.changePushUrl, change)).status).toBe(200);
    const limited = await post(server.changePushUrl, change);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe("RequestTooFrequently");
    // Another key has its own window.
    expect(
      (
        await post(
          server.changePushUrl.replace(/integration_key=[^&]+/, "integration_key=other-key-123"),
          change,
        )
      ).status,
    ).toBe(200);

    const faulty = await start();
    faulty.failNext("InternalError");
    expect((await post(faulty.changePushUrl, change)).status).toBe(500);
    expect((await post(faulty.changePushUrl, change)).status).toBe(200);
    expect(faulty.requests.map((request) => request.path)).toEqual([CHANGE_PUSH_PATH, CHANGE_PUSH_PATH]);
  });
});
