import { tracingChannel } from "node:diagnostics_channel";
import { clearKey, maskKey, setKey } from "@flash-call/keys";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { PUSH_CHANNEL, type PushChannelContext } from "./tracing-channel.js";

const OLD_KEY = "0ldRotatedKey4f9c2b7e1d";
const NEW_KEY = "NewRotatedKey8a3e6c0f5b";

let mock: MockServer;
beforeAll(async () => {
  // Flashduty after the rotation: only the new key opens the integration.
  mock = await startMockServer({ rateLimit: false, integrationKeys: [NEW_KEY] });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  mock.reset();
  clearKey();
  vi.unstubAllEnvs();
});

/** A fetch that rotates the key (as a vault refresh calling setKey would) just before its first request. */
function rotatingOnFirstRequest(rotate = () => setKey(NEW_KEY)): typeof fetch {
  let rotated = false;
  return (url, init) => {
    if (!rotated) {
      rotated = true;
      rotate();
    }
    return fetch(url, init);
  };
}

function instance(options: Parameters<typeof createFlashCall>[0] = {}) {
  const warnings: string[] = [];
  const flashduty = createFlashCall({
    baseUrl: mock.baseUrl,
    rateLimit: false,
    maxRetries: 0,
    logger: { warn: (line: unknown) => warnings.push(String(line)), error: () => {} },
    ...options,
  });
  return { flashduty, warnings };
}

const EVENT = { title_rule: "disk full on db-1", event_status: "Critical", alert_key: "disk-db-1" } as const;

describe("an event is not lost to a key rotated while it was on its way", () => {
  test("push: refused with the old key, sent again with the key set since, once, with a warning naming no key", async () => {
    setKey(OLD_KEY);
    const { flashduty, warnings } = instance({ fetch: rotatingOnFirstRequest() });
    await expect(flashduty.push(EVENT)).resolves.toMatchObject({ data: { alert_key: "disk-db-1" } });
    expect(mock.requests.map((request) => request.status)).toEqual([400, 200]);
    expect(mock.events).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("refused the key");
    for (const key of [OLD_KEY, NEW_KEY]) {
      for (let at = 0; at + 6 <= key.length; at++) expect(warnings[0]).not.toContain(key.slice(at, at + 6));
    }
  });

  test("enqueue: every queued event is delivered after the rotation", async () => {
    setKey(OLD_KEY);
    const { flashduty } = instance({ fetch: rotatingOnFirstRequest(), concurrency: 1 });
    const keys = ["a", "b", "c"];
    const results = await Promise.all(keys.map((key) => flashduty.enqueue({ ...EVENT, alert_key: key })));
    expect(results.map((result) => result.data.alert_key)).toEqual(keys);
    expect(mock.events.map((event) => event.alert_key)).toEqual(keys);
    // The first was refused on the way; the others, resolved when their turn came, went with the new key at once.
    expect(mock.requests.map((request) => request.status)).toEqual([400, 200, 200, 200]);
  });

  test("a change: sent again with the key the environment holds since", async () => {
    vi.stubEnv("FLASHDUTY_CHANGE_INTEGRATION_KEY", OLD_KEY);
    const rotate = () => vi.stubEnv("FLASHDUTY_CHANGE_INTEGRATION_KEY", NEW_KEY);
    const { flashduty } = instance({ fetch: rotatingOnFirstRequest(rotate) });
    await expect(
      flashduty.change({ title: "deploy v2", change_status: "Done", change_key: "deploy-2" }),
    ).resolves.toMatchObject({ request_id: expect.any(String) });
    expect(mock.requests.map((request) => request.status)).toEqual([400, 200]);
  });

  test("a key given to the instance is not replaced: the refusal is the answer, after one request", async () => {
    setKey(NEW_KEY);
    const { flashduty, warnings } = instance({ integrationKey: OLD_KEY });
    await expect(flashduty.push(EVENT)).rejects.toMatchObject({ code: "InvalidParameter" });
    expect(mock.requests).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  test("the same key refused again is not sent twice; a key cleared since gives up with the refusal", async () => {
    setKey(OLD_KEY);
    const { flashduty } = instance();
    await expect(flashduty.push(EVENT)).rejects.toMatchObject({ code: "InvalidParameter" });
    expect(mock.requests).toHaveLength(1);
    const clearing: typeof fetch = (url, init) => {
      clearKey();
      return fetch(url, init);
    };
    setKey(OLD_KEY);
    const { flashduty: cleared } = instance({ fetch: clearing });
    await expect(cleared.push(EVENT)).rejects.toMatchObject({ code: "InvalidParameter" });
    expect(mock.requests).toHaveLength(2);
  });
});

describe("the resend is one more attempt of the same push, not a second push", () => {
  test("hooks: onError is not told of a refusal the resend recovered; attempts are numbered on", async () => {
    setKey(OLD_KEY);
    const told: string[] = [];
    const { flashduty } = instance({
      fetch: rotatingOnFirstRequest(),
      onRequest: ({ attempt }) => void told.push(`request ${attempt}`),
      onResponse: ({ attempt, status }) => void told.push(`response ${attempt} ${status}`),
      onRetry: ({ attempt, delayMs, code }) => void told.push(`retry ${attempt} ${delayMs} ${code}`),
      onError: ({ attempt, code }) => void told.push(`error ${attempt} ${code}`),
    });
    await flashduty.push(EVENT);
    expect(told).toEqual([
      "request 1",
      "response 1 400",
      "retry 1 0 InvalidParameter",
      "request 2",
      "response 2 200",
    ]);
  });

  test("telemetry: one push span, ended without error, its second attempt a resend", async () => {
    setKey(OLD_KEY);
    const ended: { name: string; attributes: Record<string, unknown>; status: number | undefined }[] = [];
    const tracer = {
      startSpan(name: string, options?: { attributes?: Record<string, unknown> }) {
        const span = {
          name,
          attributes: { ...options?.attributes },
          status: undefined as number | undefined,
        };
        return {
          setAttribute: (key: string, value: unknown) => {
            span.attributes[key] = value;
          },
          addEvent: () => {},
          setStatus: ({ code }: { code: number }) => {
            span.status = code;
          },
          end: () => void ended.push(span),
        };
      },
    };
    const { flashduty } = instance({ fetch: rotatingOnFirstRequest(), telemetry: { tracer } });
    await flashduty.push(EVENT);
    const pushes = ended.filter((span) => span.name === "pushAlertEvent");
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.status).toBeUndefined();
    const attempts = ended.filter((span) => span.name === "POST");
    expect(attempts.map((span) => span.attributes["http.request.resend_count"])).toEqual([undefined, 1]);
  });

  test("telemetry and the tracing channel name the key the push was finally sent with", async () => {
    setKey(OLD_KEY);
    const spans: { name: string; attributes: Record<string, unknown>; events: unknown[] }[] = [];
    const tracer = {
      startSpan(name: string, options?: { attributes?: Record<string, unknown> }) {
        const span = { name, attributes: { ...options?.attributes }, events: [] as unknown[] };
        spans.push(span);
        return {
          setAttribute: (key: string, value: unknown) => {
            span.attributes[key] = value;
          },
          addEvent: (event: string, attributes?: unknown) => void span.events.push([event, attributes]),
          setStatus: () => {},
          end: () => {},
        };
      },
    };
    const ended: PushChannelContext[] = [];
    const handlers = {
      start: () => {},
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (context: unknown) => void ended.push({ ...(context as PushChannelContext) }),
      error: () => {},
    };
    const channel = tracingChannel(PUSH_CHANNEL);
    channel.subscribe(handlers);
    try {
      const { flashduty } = instance({ fetch: rotatingOnFirstRequest(), telemetry: { tracer } });
      await flashduty.push(EVENT);
    } finally {
      channel.unsubscribe(handlers);
    }
    const push = spans.find((span) => span.name === "pushAlertEvent");
    expect(push?.attributes["flashduty.integration"]).toBe(maskKey(NEW_KEY));
    expect(push?.events).toContainEqual([
      "flash-call.key_rotated",
      { "flashduty.integration.refused": maskKey(OLD_KEY), attempt: 2 },
    ]);
    expect(ended).toEqual([
      expect.objectContaining({ integration: maskKey(NEW_KEY), baseUrl: mock.baseUrl }),
    ]);
  });

  test("a signal aborted after the refusal: nothing more is sent, nor said to be, and onError is told once", async () => {
    setKey(OLD_KEY);
    const controller = new AbortController();
    const errors: string[] = [];
    const { flashduty, warnings } = instance({
      fetch: rotatingOnFirstRequest(),
      onResponse: () => controller.abort(),
      onError: ({ code }) => void errors.push(code ?? ""),
    });
    await expect(flashduty.push(EVENT, { signal: controller.signal })).rejects.toMatchObject({
      code: "Aborted",
    });
    expect(mock.requests).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(errors).toEqual(["Aborted"]);
  });
});
