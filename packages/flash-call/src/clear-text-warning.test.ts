import { expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";

const KEY = "c1ear7ext0nTheWire5ecret";
const answer = async () =>
  new Response(JSON.stringify({ request_id: "r", data: { alert_key: "k" } }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });

function instanceLogging(baseUrl: string) {
  const lines: string[] = [];
  const logger = {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => lines.push(parts.map(String).join(" ")),
    error: (...parts: unknown[]) => lines.push(parts.map(String).join(" ")),
  };
  const flashduty = createFlashCall({
    integrationKey: KEY,
    baseUrl,
    fetch: answer,
    logger,
    rateLimit: false,
    maxRetries: 0,
  });
  return { flashduty, lines };
}

const EVENT = { title_rule: "t", event_status: "Info" } as const;

test("plain http to another machine: one warning for the host, naming the host and never the key", async () => {
  const { flashduty, lines } = instanceLogging("http://relay.internal:8080");
  await flashduty.push(EVENT);
  await flashduty.push(EVENT);
  await flashduty.push(EVENT, { baseUrl: "http://relay.internal:8080/" });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("relay.internal:8080");
  expect(lines[0]).toContain("plain http");
  for (let at = 0; at + 6 <= KEY.length; at++) expect(lines[0]).not.toContain(KEY.slice(at, at + 6));
  await flashduty.push(EVENT, { baseUrl: "http://10.0.0.7" });
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("10.0.0.7");
});

test.each(["https://api.flashcat.cloud", "http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:9"])(
  "%s: no warning",
  async (baseUrl) => {
    const { flashduty, lines } = instanceLogging(baseUrl);
    await flashduty.push(EVENT);
    expect(lines).toEqual([]);
  },
);
