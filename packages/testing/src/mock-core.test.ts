// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flashduty's title rules are written with ${label}, as text.
import { PUSH_PATH } from "@flash-call/core";
import { ERROR_CODE_LIST, ERROR_STATUS, LIMITS } from "@flash-call/core/constants";
import { maskKey } from "@flash-call/errors";
import { describe, expect, test, vi } from "vitest";
import { createMockCore, type MockCoreOptions } from "./mock-core.js";

const KEY = "0123456789abcdef0123456789abcdef";
const ORIGIN = "http://mock.test";

function push(
  body: unknown,
  init: { key?: string | null; method?: string; path?: string; contentType?: string } = {},
) {
  const url = new URL(init.path ?? PUSH_PATH, ORIGIN);
  const key = init.key === undefined ? KEY : init.key;
  if (key !== null) url.searchParams.set("integration_key", key);
  const method = init.method ?? "POST";
  return new Request(url, {
    method,
    headers: { "content-type": init.contentType ?? "application/json" },
    ...(method === "GET" || method === "HEAD"
      ? {}
      : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

async function send(options: MockCoreOptions, request: Request) {
  const mock = createMockCore(options);
  const response = await mock.handle(request);
  return { mock, response, body: (await response.json()) as Record<string, unknown> };
}

const event = { title_rule: "disk full", event_status: "Critical" };

describe("the mock's answers (transport-independent)", () => {
  test("accepts an event: 200 {request_id, data: {alert_key}}, recorded without the key", async () => {
    const { mock, response, body } = await send(
      { now: () => 42_000 },
      push({ ...event, labels: { host: "db-1" } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      data: { alert_key: expect.any(String) },
    });
    const success = body as { request_id: string; data: { alert_key: string } };
    const alertKey = success.data.alert_key;
    expect(alertKey).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(mock.events).toEqual([
      {
        ...event,
        labels: { host: "db-1" },
        alert_key: alertKey,
        request_id: success.request_id,
        received_at: 42_000,
        integration: maskKey(KEY),
        rendered_title: { text: "disk full", form: "plain" },
        adjustments: [],
      },
    ]);
    expect(mock.requests).toEqual([
      {
        method: "POST",
        path: PUSH_PATH,
        status: 200,
        alert_key: alertKey,
        request_id: success.request_id,
        received_at: 42_000,
      },
    ]);
    expect(JSON.stringify([mock.events, mock.requests, [...mock.alerts]])).not.toContain(KEY);
  });

  test("keeps a given alert_key and returns it", async () => {
    const { body } = await send({}, push({ ...event, alert_key: "my-key" }));
    expect(body).toMatchObject({ data: { alert_key: "my-key" } });
  });

  test.each([
    ["GET", PUSH_PATH, 400, "MethodNotAllowed"],
    ["PUT", PUSH_PATH, 400, "MethodNotAllowed"],
    ["POST", "/event/push/alert/other", 404, "RouteNotFound"],
    ["GET", "/", 404, "RouteNotFound"],
    ["POST", `${PUSH_PATH}/`, 404, "RouteNotFound"],
  ])("%s %s -> %i %s", async (method, path, status, code) => {
    const { mock, response, body } = await send({}, push(event, { method, path }));
    expect(response.status).toBe(status);
    expect(body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      error: { code, message: expect.any(String) },
    });
    expect(mock.requests[0]).toMatchObject({ method, status, code });
    expect(mock.events).toEqual([]);
  });

  test.each([
    ["registered nowhere, with the key in the query too", KEY, {}],
    ["only in the path, to a mock that accepts any key", null, {}],
    ["only in the path, one of the accepted keys", null, { integrationKeys: [KEY] }],
  ] as const)(
    "a key in the path of a request it does not serve (%s) is masked in its record and answer",
    async (_case, queryKey, options) => {
      const { mock, body } = await send(options, push(event, { path: `${PUSH_PATH}/${KEY}`, key: queryKey }));
      expect(mock.requests[0]).toMatchObject({
        code: "RouteNotFound",
        path: `${PUSH_PATH}/${maskKey(KEY)}`,
        message: `route not found: POST ${PUSH_PATH}/${maskKey(KEY)}`,
      });
      expect(JSON.stringify([mock.requests, body])).not.toContain(KEY.slice(0, 8));
    },
  );

  test("what it quotes of a request in a message (the content type) has the request's own key masked", async () => {
    const { mock, body } = await send({}, push(event, { contentType: `text/${KEY}` }));
    expect(mock.requests[0]?.message).toContain(maskKey(KEY));
    expect(JSON.stringify([mock.requests, body])).not.toContain(KEY.slice(0, 8));
  });

  test.each(["text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"])(
    "content type %j -> 400 InvalidContentType",
    async (contentType) => {
      const { response, body } = await send({}, push(event, { contentType }));
      expect(response.status).toBe(400);
      expect(body).toMatchObject({ error: { code: "InvalidContentType" } });
    },
  );

  test("accepts application/json with a charset", async () => {
    const { response } = await send({}, push(event, { contentType: "application/json; charset=utf-8" }));
    expect(response.status).toBe(200);
  });

  test.each([
    ["missing", null, undefined],
    ["empty", "", undefined],
    ["with whitespace", "abc def", undefined],
    ["unknown", "not-a-configured-key", [KEY]],
  ])("a %s integration key -> 400 InvalidParameter", async (_label, key, integrationKeys) => {
    const { response, body } = await send(
      integrationKeys === undefined ? {} : { integrationKeys },
      push(event, { key }),
    );
    expect(response.status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "InvalidParameter", message: "integration_key is not a valid one" },
    });
    if (key) expect(JSON.stringify(body)).not.toContain(key);
  });

  test("only the configured keys are accepted when given", async () => {
    const { response } = await send({ integrationKeys: ["other", KEY] }, push(event));
    expect(response.status).toBe(200);
  });

  test.each([
    ["not JSON", "{", "not valid JSON"],
    ["an empty title", { ...event, title_rule: "" }, "title_rule must not be empty"],
    ["a lowercase status", { ...event, event_status: "critical" }, "event_status must be one of"],
    [
      "Ok without alert_key",
      { title_rule: "t", event_status: "Ok" },
      "alert_key is required when event_status is Ok",
    ],
    [
      "51 labels",
      { ...event, labels: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`l${i}`, "v"])) },
      "labels must have at most 50",
    ],
    ["a bad label key", { ...event, labels: { "bad-key": "v" } }, "labels.bad-key key must match"],
    ["milliseconds", { ...event, event_time: Date.now() }, "event_time must be at most"],
    ["an alert_key over 255", { ...event, alert_key: "k".repeat(256) }, "alert_key must be at most 255"],
  ])("%s -> 400 InvalidParameter naming the field", async (_label, payload, message) => {
    const { mock, response, body } = await send({}, push(payload));
    expect(response.status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "InvalidParameter", message: expect.stringContaining(message) },
    });
    expect(mock.events).toEqual([]);
  });

  test("stores events as Flashduty does: truncated, over-long image src discarded, one image per alt", async () => {
    const { mock, response } = await send(
      {},
      push({
        title_rule: "t".repeat(600),
        event_status: "Warning",
        description: "d".repeat(3000),
        labels: { host: "v".repeat(3000) },
        images: [
          { src: `https://example.com/${"x".repeat(300)}`, alt: "too long" },
          { src: "https://example.com/1.png", alt: "cpu" },
          { src: "https://example.com/2.png", alt: "cpu" },
          { src: "https://example.com/3.png", alt: "a".repeat(200) },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const stored = mock.events[0]!;
    expect(stored.title_rule).toHaveLength(LIMITS.title_rule);
    expect(stored.description).toHaveLength(LIMITS.description);
    expect(stored.labels?.host).toHaveLength(LIMITS.label_value);
    expect(stored.images).toEqual([
      { src: "https://example.com/1.png", alt: "cpu" },
      { src: "https://example.com/3.png", alt: "a".repeat(LIMITS.image_alt) },
    ]);
    // Each change is recorded with the lengths sent and kept, so the inspector can mark it.
    expect(stored.adjustments).toEqual([
      { path: "title_rule", action: "truncated", before: 600, after: LIMITS.title_rule },
      { path: "description", action: "truncated", before: 3000, after: LIMITS.description },
      { path: "labels.host", action: "truncated", before: 3000, after: LIMITS.label_value },
      { path: "images[0]", action: "discarded" },
      { path: "images[3].alt", action: "truncated", before: 200, after: LIMITS.image_alt },
      // Named by its index as sent, as the other adjustments are: 2.png, the second "cpu", not 1.png.
      { path: "images[2]", action: "discarded" },
    ]);
  });

  test("records the title as Flashduty renders it, on the event and on its alert", async () => {
    const mock = createMockCore({});
    await mock.handle(
      push({
        title_rule: "[TPL]${resource} / ${check}",
        event_status: "Warning",
        labels: { resource: "db-1" },
      }),
    );
    expect(mock.events[0]?.rendered_title).toEqual({ text: "db-1 / <no value>", form: "template" });
    expect([...mock.alerts.values()][0]?.rendered_title).toEqual({
      text: "db-1 / <no value>",
      form: "template",
    });
  });

  test("records each request's answer: the error message, and for a 429 the window that was full", async () => {
    const mock = createMockCore({ now: () => 0, rateLimit: { perSecond: 1 } });
    await mock.handle(push(event));
    await mock.handle(push(event));
    await mock.handle(push({ title_rule: "", event_status: "Critical" }));
    expect(mock.requests[1]).toMatchObject({
      status: 429,
      code: "RequestTooFrequently",
      message: "request too frequently",
      rate_limit: { window: "second", limit: 1 },
    });
    mock.reset();
    const minute = createMockCore({ now: () => 0, rateLimit: { perSecond: 5, perMinute: 1 } });
    await minute.handle(push(event));
    await minute.handle(push(event));
    expect(minute.requests[1]?.rate_limit).toEqual({ window: "minute", limit: 1 });
  });

  test("observers see each answered request with its stored event and the body as sent, and each reset", async () => {
    const mock = createMockCore({});
    const notices: unknown[] = [];
    const stop = mock.observe((notice) => notices.push(notice));
    const sent = { title_rule: "t".repeat(600), event_status: "Info" };
    await mock.handle(push(sent));
    await mock.handle(push({ title_rule: "x", event_status: "bad" }));
    mock.reset();
    stop();
    await mock.handle(push(sent));
    expect(notices).toEqual([
      {
        type: "request",
        record: {
          request: expect.objectContaining({ status: 200 }),
          event: expect.objectContaining({ adjustments: [expect.objectContaining({ path: "title_rule" })] }),
          sent,
          // The body's length as sent and the rendered title's (512 after truncation).
          weight: JSON.stringify(sent).length + 512,
        },
      },
      {
        type: "request",
        record: { request: expect.objectContaining({ status: 400, code: "InvalidParameter" }) },
      },
      { type: "reset" },
    ]);
  });

  test("tracks the alert lifecycle: open, then resolved by Ok with the returned key", async () => {
    let clock = 1_000;
    const mock = createMockCore({ now: () => clock });
    const first = (await (await mock.handle(push(event))).json()) as { data: { alert_key: string } };
    const alertKey = first.data.alert_key;
    expect(mock.alerts.get(alertKey)).toMatchObject({
      status: "open",
      opened_at: 1_000,
      title_rule: "disk full",
    });
    // The same alert pushed again without a key groups into the same alert.
    const again = (await (await mock.handle(push(event))).json()) as { data: { alert_key: string } };
    expect(again.data.alert_key).toBe(alertKey);
    clock = 5_000;
    await mock.handle(push({ title_rule: "disk full", event_status: "Ok", alert_key: alertKey }));
    expect(mock.alerts.get(alertKey)).toMatchObject({ status: "resolved", resolved_at: 5_000 });
    expect(mock.alerts.get(alertKey)?.events.map((received) => received.event_status)).toEqual([
      "Critical",
      "Critical",
      "Ok",
    ]);
    expect(mock.alerts.size).toBe(1);
  });

  test("rate limits per key: 429 RequestTooFrequently with Retry-After in seconds, not counting refusals", async () => {
    let clock = 10_000;
    const mock = createMockCore({ now: () => clock, rateLimit: { perSecond: 2, perMinute: 3 } });
    expect((await mock.handle(push(event))).status).toBe(200);
    expect((await mock.handle(push(event))).status).toBe(200);
    const limited = await mock.handle(push(event));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ error: { code: "RequestTooFrequently" } });
    // Another key has its own window.
    expect((await mock.handle(push(event, { key: "another-key-0000" }))).status).toBe(200);

    clock = 11_000;
    expect((await mock.handle(push(event))).status).toBe(200);
    const perMinute = await mock.handle(push(event));
    expect(perMinute.status).toBe(429);
    expect(perMinute.headers.get("retry-after")).toBe("59");
    clock = 69_999;
    expect((await mock.handle(push(event))).status).toBe(429);
    clock = 70_000;
    expect((await mock.handle(push(event))).status).toBe(200);
  });

  test("the default limits are 100 per second and 1000 per minute", async () => {
    let clock = 0;
    const mock = createMockCore({ now: () => clock });
    const statuses: number[] = [];
    for (let index = 0; index < 101; index++) statuses.push((await mock.handle(push(event))).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(100);
    expect(statuses.at(-1)).toBe(429);
    for (let second = 1; second < 10; second++) {
      clock = second * 1000;
      for (let index = 0; index < 100; index++) await mock.handle(push(event));
    }
    clock = 10_000;
    const overMinute = await mock.handle(push(event));
    expect(overMinute.status).toBe(429);
    expect(overMinute.headers.get("retry-after")).toBe("50");
  });

  test("rateLimit: false turns limiting off", async () => {
    const mock = createMockCore({ now: () => 0, rateLimit: false });
    for (let index = 0; index < 150; index++) expect((await mock.handle(push(event))).status).toBe(200);
  });

  test("maxRecords: the latest requests and events are kept; an alert keeps the events kept, and goes with its last", async () => {
    const mock = createMockCore({ now: () => 0, rateLimit: false, maxRecords: 3 });
    for (let index = 0; index < 5; index++) {
      await mock.handle(push({ ...event, title_rule: `a${index}`, alert_key: `alert-${index}` }));
      await mock.handle(push({ ...event, title_rule: `b${index}`, alert_key: "busy" }));
    }
    expect(mock.events.map((received) => received.title_rule)).toEqual(["b3", "a4", "b4"]);
    expect(mock.requests).toHaveLength(3);
    expect(mock.requests.at(-1)?.alert_key).toBe("busy");
    expect([...mock.alerts.keys()].sort()).toEqual(["alert-4", "busy"]);
    expect(mock.alerts.get("busy")?.events.map((received) => received.title_rule)).toEqual(["b3", "b4"]);
    expect(() => createMockCore({ maxRecords: 0 })).toThrow(RangeError);
    expect(() => createMockCore({ maxRecordBytes: 1.5 })).toThrow(RangeError);
  });

  test("maxRecordBytes: large events are forgotten by their size, not only their count; the newest is always kept", async () => {
    const mock = createMockCore({ now: () => 0, rateLimit: false, maxRecordBytes: 30_000 });
    const images = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ src: `https://i/${index}`, alt: `${index}` }));
    for (let index = 0; index < 4; index++) {
      // About 14 000 characters each: two fit in 30 000.
      await mock.handle(push({ ...event, alert_key: `big-${index}`, images: images(400) }));
    }
    expect(mock.events.map((received) => received.alert_key)).toEqual(["big-2", "big-3"]);
    expect([...mock.alerts.keys()]).toEqual(["big-2", "big-3"]);
    await mock.handle(push({ ...event, alert_key: "huge", images: images(2000) }));
    expect(mock.events.map((received) => received.alert_key)).toEqual(["huge"]);
  });

  test("an answer quotes at most 200 characters of each issue, however long what was sent", async () => {
    const mock = createMockCore({ rateLimit: false });
    const labels = { [`k${"x".repeat(1_000_000)}`]: "v" };
    const answer = (await (await mock.handle(push({ ...event, labels }))).json()) as {
      error: { message: string };
    };
    expect(answer.error.message.length).toBeLessThan(300);
    expect(answer.error.message).toMatch(/^invalid parameter: labels\.kx+…$/);
    expect(mock.requests[0]?.message).toBe(answer.error.message);
  });

  test("by default the latest 10000 requests are kept, so a long run does not grow without bound", async () => {
    const mock = createMockCore({ rateLimit: false });
    for (let index = 0; index < 10_001; index++) await mock.handle(push(event, { path: "/nowhere" }));
    expect(mock.limits).toEqual({ records: 10_000, bytes: 256 * 1024 * 1024 });
    expect(mock.requests).toHaveLength(10_000);
  });

  test("reset() forgets events, requests, alerts, faults and rate-limit windows", async () => {
    const mock = createMockCore({ now: () => 0, rateLimit: { perSecond: 1 } });
    const events = mock.events;
    await mock.handle(push(event));
    mock.failNext("InternalError");
    mock.reset();
    expect(events).toEqual([]);
    expect(mock.requests).toEqual([]);
    expect(mock.alerts.size).toBe(0);
    expect((await mock.handle(push(event))).status).toBe(200);
  });

  test("onEvent listeners see each accepted event until unsubscribed; a throwing listener changes nothing", async () => {
    const mock = createMockCore();
    const seen: string[] = [];
    const unsubscribe = mock.onEvent((received) => seen.push(received.title_rule));
    mock.onEvent(() => {
      throw new Error("listener bug");
    });
    expect((await mock.handle(push(event))).status).toBe(200);
    unsubscribe();
    await mock.handle(push(event));
    expect(seen).toEqual(["disk full"]);
  });
});

describe("faults", () => {
  test("chaos injects its faults at about its rate; queued faults come first", async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const mock = createMockCore({
      rateLimit: false,
      chaos: { rate: 0.2, faults: ["InternalError"], random },
    });
    mock.failNext("Unauthorized");
    const statuses: number[] = [];
    for (let index = 0; index < 500; index++) statuses.push((await mock.handle(push(event))).status);
    expect(statuses[0]).toBe(401);
    const failed = statuses.slice(1).filter((status) => status === 500).length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(statuses.filter((status) => status !== 200 && status !== 500 && status !== 401)).toEqual([]);
  });

  test.each(ERROR_CODE_LIST)("failNext(%s) answers that code with its documented status", async (code) => {
    const mock = createMockCore();
    mock.failNext(code);
    const response = await mock.handle(push(event));
    expect(response.status).toBe(ERROR_STATUS[code]);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      error: { code, message: expect.any(String) },
    });
    expect(response.headers.get("retry-after")).toBe(code === "RequestTooFrequently" ? "1" : null);
    expect(mock.requests[0]).toMatchObject({ code, fault: "error", status: ERROR_STATUS[code] });
    expect(mock.events).toEqual([]);
    // One fault per request: the next one is answered normally.
    expect((await mock.handle(push(event))).status).toBe(200);
  });

  test("an error fault can set status, message and Retry-After (seconds or a date)", async () => {
    const mock = createMockCore();
    mock.failNext([
      { kind: "error", code: "RequestTooFrequently", retryAfter: 7, message: "slow down" },
      { kind: "error", code: "Whatever", status: 503, retryAfter: "Wed, 21 Oct 2037 07:28:00 GMT" },
    ]);
    const first = await mock.handle(push(event));
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect(await first.json()).toMatchObject({
      error: { code: "RequestTooFrequently", message: "slow down" },
    });
    const second = await mock.handle(push(event));
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("Wed, 21 Oct 2037 07:28:00 GMT");
    expect(await second.json()).toMatchObject({ error: { code: "Whatever" } });
  });

  test("status: any status with a raw body and headers", async () => {
    const mock = createMockCore();
    mock.failNext([
      { kind: "status", status: 503, body: "busy", headers: { "x-proxy": "lb" } },
      { kind: "status", status: 504 },
    ]);
    const first = await mock.handle(push(event));
    expect([first.status, await first.text(), first.headers.get("x-proxy")]).toEqual([503, "busy", "lb"]);
    const second = await mock.handle(push(event));
    expect([second.status, await second.text()]).toEqual([504, ""]);
  });

  test("reset: a network error (Response.error()), recorded with status 0", async () => {
    const mock = createMockCore();
    mock.failNext({ kind: "reset" });
    const response = await mock.handle(push(event));
    expect(response.type).toBe("error");
    expect(mock.requests[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  test("html: a proxy's 502 page by default, or the given status", async () => {
    const mock = createMockCore();
    mock.failNext([{ kind: "html" }, { kind: "html", status: 504 }]);
    const first = await mock.handle(push(event));
    expect(first.status).toBe(502);
    expect(first.headers.get("content-type")).toBe("text/html");
    expect(await first.text()).toContain("502 Bad Gateway");
    expect((await mock.handle(push(event))).status).toBe(504);
  });

  test("truncated: a 200 whose JSON body is cut", async () => {
    const mock = createMockCore();
    mock.failNext({ kind: "truncated" });
    const response = await mock.handle(push(event));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"request_id":"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  test("error-in-200: status 200 carrying an error body", async () => {
    const mock = createMockCore();
    mock.failNext([
      { kind: "error-in-200" },
      { kind: "error-in-200", code: "NoLicense", message: "buy more" },
    ]);
    const first = await mock.handle(push(event));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ error: { code: "InternalError" } });
    expect(await (await mock.handle(push(event))).json()).toMatchObject({
      error: { code: "NoLicense", message: "buy more" },
    });
  });

  /** Reads a body piece by piece: the pieces that came, and the error that ended it, if one did. */
  async function readPieces(response: Response): Promise<{ text: string; error: unknown }> {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read())
        text += decoder.decode(next.value, { stream: true });
    } catch (error) {
      return { text, error };
    }
    return { text, error: undefined };
  }

  test("cut-body: a 200 announcing the whole success body, whose body fails after its first half", async () => {
    const mock = createMockCore();
    mock.failNext({ kind: "cut-body" });
    const response = await mock.handle(push(event));
    expect(response.status).toBe(200);
    const announced = Number(response.headers.get("content-length"));
    const { text, error } = await readPieces(response);
    expect(error).toBeInstanceOf(Error);
    expect(text.startsWith('{"request_id":"')).toBe(true);
    expect(text.length).toBe(Math.floor(announced / 2));
    expect(mock.requests[0]).toMatchObject({ status: 200, fault: "cut-body" });
    expect(mock.events).toEqual([]);
  });

  test("stalled-body: half a body, then nothing until the client gives up or the mock is disposed", async () => {
    const mock = createMockCore();
    mock.failNext([{ kind: "stalled-body" }, { kind: "stalled-body" }]);
    const controller = new AbortController();
    const abandoned = await mock.handle(new Request(push(event), { signal: controller.signal }));
    const disposed = await mock.handle(push(event));
    expect([abandoned.status, disposed.status]).toEqual([200, 200]);
    const abandonedRead = readPieces(abandoned);
    const disposedRead = readPieces(disposed);
    let disposedEnded = false;
    void disposedRead.then(() => {
      disposedEnded = true;
    });
    controller.abort();
    const first = await abandonedRead;
    expect(disposedEnded).toBe(false);
    expect(first.error).toBeInstanceOf(Error);
    expect(first.text.startsWith('{"request_id":"')).toBe(true);
    mock.dispose();
    expect((await disposedRead).error).toBeInstanceOf(Error);
    expect(mock.requests.map((request) => request.fault)).toEqual(["stalled-body", "stalled-body"]);
    expect(mock.events).toEqual([]);
  });

  test("delay: waits, then answers normally", async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockCore();
      mock.failNext({ kind: "delay", ms: 5_000 });
      let settled = false;
      const pending = mock.handle(push(event)).then((response) => {
        settled = true;
        return response;
      });
      await vi.advanceTimersByTimeAsync(4_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(200);
      expect(mock.events).toHaveLength(1);
      expect(mock.requests[0]).toMatchObject({ status: 200, fault: "delay" });
    } finally {
      vi.useRealTimers();
    }
  });

  test("delay: ends early when the client aborts or the mock is disposed, leaving no timer", async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockCore();
      mock.failNext([
        { kind: "delay", ms: 60_000 },
        { kind: "delay", ms: 60_000 },
      ]);
      const controller = new AbortController();
      const aborted = mock.handle(new Request(push(event), { signal: controller.signal }));
      const disposed = mock.handle(push(event));
      expect(vi.getTimerCount()).toBe(2);
      controller.abort();
      expect((await aborted).type).toBe("error");
      mock.dispose();
      expect((await disposed).type).toBe("error");
      expect(vi.getTimerCount()).toBe(0);
      expect(mock.events).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  test("faults apply in order, one per request", async () => {
    const mock = createMockCore();
    mock.failNext(["InternalError", { kind: "html" }]);
    mock.failNext({ kind: "reset" });
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await mock.handle(push(event))).status);
    expect(statuses).toEqual([500, 502, 0, 200]);
  });
});
