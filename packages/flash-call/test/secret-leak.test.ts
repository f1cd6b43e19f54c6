import { inspect } from "node:util";
import { maskKey } from "@flash-call/errors";
import { startMockServer } from "@flash-call/testing";
import { describe, expect, test } from "vitest";
import { createFlashCall } from "../src/flash-call.js";
import type { FlashCallOptions } from "../src/options.js";

// Characters that URL-encoding changes, so both forms are looked for.
const KEY = "fcLEAK+Secret/Key=42";
const FORMS = [KEY, encodeURIComponent(KEY), "fcLEAK%2BSecret"];

const everything = (value: unknown): string => {
  const parts = [inspect(value, { depth: 8, showHidden: true })];
  try {
    parts.push(JSON.stringify(value));
  } catch {}
  if (value instanceof Error) {
    parts.push(String(value), value.message, value.stack ?? "", inspect(value.cause, { depth: 8 }));
  }
  return parts.join("\n");
};

describe("the integration key never leaks from the SDK", () => {
  test("through errors, hooks, logs or results on every failure path", async () => {
    const mock = await startMockServer({ rateLimit: { perSecond: 2, perMinute: 1000 } });
    const captured: unknown[] = [];
    const logger = {
      debug: (line: string) => captured.push(line),
      info: (line: string) => captured.push(line),
      warn: (line: string) => captured.push(line),
      error: (line: string) => captured.push(line),
    };
    const options: FlashCallOptions = {
      baseUrl: mock.baseUrl,
      integrationKey: KEY,
      logger,
      logLevel: "debug",
      backoff: { baseMs: 1, maxMs: 5 },
      maxRetries: 1,
      timeoutMs: 200,
      onRequest: (info) => void captured.push(info),
      onResponse: (info) => void captured.push(info),
      onRetry: (info) => void captured.push(info),
      onError: (info) => void captured.push(info),
    };
    const flashduty = createFlashCall(options);
    const attempt = (event = { title_rule: "t".repeat(600), event_status: "Info" as const }) =>
      flashduty.push(event).then(
        (result) => captured.push(result),
        (error) => captured.push(error),
      );
    try {
      const faults = [
        "InvalidParameter",
        "InvalidContentType",
        "MethodNotAllowed",
        "Unauthorized",
        "AccessDenied",
        "RouteNotFound",
        "ResourceNotFound",
        "NoLicense",
        ["InternalError", "InternalError"],
        [
          { kind: "error", code: "RequestTooFrequently", retryAfter: 0 },
          { kind: "error", code: "RequestTooFrequently", retryAfter: 0 },
        ],
        [{ kind: "reset" }, { kind: "reset" }],
        [
          { kind: "html", status: 502 },
          { kind: "html", status: 502 },
        ],
        [{ kind: "truncated" }, { kind: "truncated" }],
        [{ kind: "cut-body" }, { kind: "cut-body" }],
        [{ kind: "stalled-body" }, { kind: "stalled-body" }],
        [
          { kind: "error-in-200", code: "Unauthorized", message: `bad key ${KEY}` },
          { kind: "error-in-200", code: "Unauthorized" },
        ],
        [
          {
            kind: "error",
            code: "InvalidParameter",
            message: `invalid integration_key=${encodeURIComponent(KEY)}`,
          },
        ],
        [
          { kind: "delay", ms: 1000 },
          { kind: "delay", ms: 1000 },
        ],
      ] as const;
      for (const fault of faults) {
        mock.failNext(fault as never);
        await attempt();
      }
      await attempt({ title_rule: "", event_status: "Info" });
      const closed = await startMockServer({ rateLimit: false });
      await closed.close();
      await flashduty
        .push({ title_rule: "t", event_status: "Info" }, { baseUrl: closed.baseUrl })
        .catch((error) => captured.push(error));
      await flashduty
        .push({ title_rule: "t", event_status: "Info" }, { pushUrl: `not a url?integration_key=${KEY}` })
        .catch((error) => captured.push(error));
      const controller = new AbortController();
      controller.abort();
      await flashduty
        .push({ title_rule: "t", event_status: "Info" }, { signal: controller.signal })
        .catch((error) => captured.push(error));
    } finally {
      await mock.close();
    }
    expect(captured.length).toBeGreaterThan(50);
    const text = captured.map(everything).join("\n");
    for (const form of FORMS) expect(text).not.toContain(form);
    // The scan itself works: the masked form is there, and the raw key would have been found.
    expect(text).toContain(maskKey(KEY));
    expect(everything({ KEY })).toContain(KEY);
  });
});
