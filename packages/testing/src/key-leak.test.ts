import { inspect } from "node:util";
import { DEFAULT_BASE_URL, PUSH_PATH } from "@flash-call/core";
import { maskKey } from "@flash-call/errors";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import type { Fault } from "./fault.js";
import type { MockRecords } from "./mock-core.js";
import { createMockFlashduty } from "./mock-flashduty.js";
import { type MockServer, startMockServer } from "./mock-server.js";

// Long, with the characters URL encoding changes. Every 4 characters of a raw key hold a `+`, `/` or `=`, and every
// 8 of an encoded one a `%`, which no request id, alert key, fingerprint or date holds: a piece found is a leak.
const KEY = "Qx+Wv/Ty=Rs+Pn/Mk=Jh+Gf/Zc=Xb+Vl/Kd=Hw+Ug/Ei=";
const OTHER_KEY = "Lm+Np/Or=Ps+Qt/Ru=Sv+Tw/Ux=Vy+Wz/Xa=Yb+Zc/Ad=";

const RAW = [KEY, OTHER_KEY];

function expectNoPieceOfTheKeys(label: string, text: string): void {
  // The product's rule is no 8-character piece; the mock's mask shows no character at all, so 4 raw ones neither.
  const found = [...leakedPieces(text, RAW), ...leakedPieces(text, RAW, { length: 4, encoded: false })];
  expect(found, `${label} holds a piece of a key`).toEqual([]);
}

const event = { title_rule: "disk full on db-1", event_status: "Critical", labels: { host: "db-1" } };

/** Sends one of each kind of request a client can make, collecting every answer's status, headers and body. */
async function exercise(
  pushUrlFor: (key: string) => string,
  send: (url: string, init: RequestInit) => Promise<Response>,
  mock: MockRecords,
): Promise<string[]> {
  const url = pushUrlFor(KEY);
  const json = (body: unknown): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const requests: [string, RequestInit][] = [
    [url, json(event)],
    [url, json({ ...event, alert_key: "db-1-disk" })],
    [url, json({ ...event, alert_key: "db-1-disk", event_status: "Ok" })],
    [url, json({ ...event, event_status: "critical", labels: { "bad-key": "x" } })],
    [url, json({ event_status: "Ok", title_rule: "no key" })],
    [url, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }],
    [url, { method: "GET" }],
    [url.replace(PUSH_PATH, "/event/push/alert/unknown"), json(event)],
    // A key pasted into the path (a base URL or push URL built by hand), raw or encoded, with or without the query.
    [url.replace(PUSH_PATH, `${PUSH_PATH}/${KEY}`), json(event)],
    [url.replace(PUSH_PATH, `${PUSH_PATH}/${encodeURIComponent(KEY)}`), json(event)],
    [
      url.replace(PUSH_PATH, `${PUSH_PATH}/${encodeURIComponent(OTHER_KEY)}`).split("?")[0] as string,
      json(event),
    ],
    [url.replace(PUSH_PATH, `/${OTHER_KEY}/v1`).split("?")[0] as string, json(event)],
    [pushUrlFor(OTHER_KEY), json(event)],
    [url, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }],
  ];
  const answers: string[] = [];
  const record = async (response: Response) => {
    answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
  };
  for (const [target, init] of requests) await record(await send(target, init));
  const faults: Fault[] = [
    "RequestTooFrequently",
    { kind: "error", code: "Unauthorized" },
    { kind: "html" },
    { kind: "truncated" },
    { kind: "error-in-200" },
  ];
  mock.failNext(faults);
  for (const _fault of faults) await record(await send(url, json(event)));
  return answers;
}

/** The inspector's live feed of `server` once it has sent every request recorded so far. */
async function inspectorFeed(server: MockServer): Promise<string> {
  const answer = await fetch(`${server.url}/inspector/events`);
  const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.split("event: request\n").length - 1 < server.requests.length) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("no piece of an integration key in what the mock records, answers, prints or inspects", () => {
  let printed: string[];

  beforeEach(() => {
    printed = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...values: unknown[]) => {
        printed.push(values.map((value) => inspect(value)).join(" "));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function expectClean(mock: MockRecords, answers: string[], inspected: string): void {
    expect(mock.events.length).toBeGreaterThanOrEqual(2);
    expect(mock.events.every((received) => received.integration === maskKey(KEY))).toBe(true);
    expectNoPieceOfTheKeys("events", JSON.stringify(mock.events));
    expectNoPieceOfTheKeys("requests", JSON.stringify(mock.requests));
    expectNoPieceOfTheKeys("alerts", JSON.stringify([...mock.alerts]));
    expectNoPieceOfTheKeys("answers", answers.join("\n"));
    expectNoPieceOfTheKeys("console output", printed.join("\n"));
    expectNoPieceOfTheKeys("util.inspect", inspected);
  }

  test("createMockFlashduty, answering through handle()", async () => {
    const mock = createMockFlashduty({ integrationKeys: [KEY] });
    const answers = await exercise(
      (key) => `${DEFAULT_BASE_URL}${PUSH_PATH}?integration_key=${encodeURIComponent(key)}`,
      (url, init) => mock.handle(new Request(url, init)),
      mock,
    );
    expectClean(mock, answers, inspect(mock, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
  });

  test("startMockServer, answering over HTTP", async () => {
    const server = await startMockServer({ integrationKeys: [KEY] });
    try {
      const answers = await exercise(
        (key) => `${server.url}${PUSH_PATH}?integration_key=${encodeURIComponent(key)}`,
        (url, init) => fetch(url, init),
        server,
      );
      console.log(server);
      expectClean(server, answers, inspect(server, { depth: Number.POSITIVE_INFINITY }));
      expectNoPieceOfTheKeys("the inspector's feed", await inspectorFeed(server));
    } finally {
      await server.close();
    }
  });
});
