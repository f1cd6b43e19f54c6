import { inspect } from "node:util";
import { FlashdutyConfigError, maskKey, redact } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { IntegrationKey } from "./integration-key.js";

const RAW = "ik-0123456789abcdef0123456789abcdef";

describe("IntegrationKey", () => {
  const key = new IntegrationKey(RAW);

  test("reveals the raw key on request only", () => {
    expect(key.reveal()).toBe(RAW);
    expect(key.masked).toBe(maskKey(RAW));
  });

  test.each([
    ["toString", () => key.toString()],
    ["String()", () => String(key)],
    ["template string", () => `${key}`],
    ["concatenation", () => `k=${key}`],
    ["JSON.stringify", () => JSON.stringify({ key })],
    ["util.inspect", () => inspect(key)],
    ["util.inspect, hidden and deep", () => inspect({ nested: { key } }, { showHidden: true, depth: 10 })],
    ["Object.entries", () => JSON.stringify(Object.entries(key))],
  ])("%s shows it masked", (_name, render) => {
    const text = render();
    expect(text).not.toContain(RAW);
    expect(text).toContain(maskKey(RAW));
  });

  test("util.inspect names the type", () => {
    expect(inspect(key)).toBe(`IntegrationKey(${maskKey(RAW)})`);
  });

  test("registers itself for redact()", () => {
    const other = "registered-by-construction-0123456789";
    new IntegrationKey(other);
    expect(redact(`x ${other} ${encodeURIComponent(other)}`)).toBe(`x ${maskKey(other)} ${maskKey(other)}`);
  });

  test("fully masks a short key", () => {
    expect(String(new IntegrationKey("short"))).toBe("****");
  });

  test.each([
    ["", "is empty"],
    ["   ", "is only whitespace"],
    ["\t\n", "is only whitespace"],
    [" ik-0123456789abcdef", "has leading or trailing whitespace"],
    ["ik-0123456789abcdef\n", "contains a control character"],
    ["ik-0123\u0000456789abcdef", "contains a control character"],
    ["ik-0123\u007f456789abcdef", "contains a control character"],
    ["ik-0123 456789abcdef", "contains whitespace"],
    ["ik-0123\u00a0456789abcdef", "contains whitespace"],
  ])("rejects %j: %s, without printing it", (raw, problem) => {
    let error: unknown;
    try {
      new IntegrationKey(raw, "FLASHDUTY_INTEGRATION_KEY");
    } catch (caught) {
      error = caught;
    }
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toBe(
      `FLASHDUTY_INTEGRATION_KEY ${problem}. Copy it again from the integration's page in the Flashduty console.`,
    );
    if (raw.trim() !== "") expect(message).not.toContain(raw.trim());
  });

  test("rejects a non-string from JavaScript callers", () => {
    expect(() => new IntegrationKey(undefined as unknown as string)).toThrow(FlashdutyConfigError);
  });

  test.each([
    ["a lone high surrogate", "ik-0123456789\ud800abcdef"],
    ["a lone low surrogate", "\udc00ik-0123456789abcdef"],
    ["a high surrogate at the end", "ik-0123456789abcdef\ud83d"],
  ])("rejects %s with a FlashdutyConfigError, not a URIError, and never repeats it", (_name, raw) => {
    let error: unknown;
    try {
      new IntegrationKey(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlashdutyConfigError);
    expect((error as Error).message).toContain("lone surrogate");
    expect((error as Error).message).not.toContain("0123456789");
  });

  test("accepts a well-formed surrogate pair", () => {
    expect(new IntegrationKey("ik-😀-0123456789abcdef").reveal()).toBe("ik-😀-0123456789abcdef");
  });
});

describe("a URL given as a key", () => {
  test("is refused, saying where a push URL goes; its key is masked, and no other URL is", () => {
    const inside = "urlaskey0123456789abcdef";
    const pushUrl = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${inside}`;
    expect(() => new IntegrationKey(pushUrl, "The environment variable FLASHDUTY_INTEGRATION_KEY")).toThrow(
      "The environment variable FLASHDUTY_INTEGRATION_KEY is a URL, not a key: put a push URL in FLASHDUTY_PUSH_URL (or pass it as the push URL), and only the key here. Copy it again from the integration's page in the Flashduty console.",
    );
    expect(redact(`sent ${inside}`)).not.toContain(inside.slice(0, 8));
    // Registered whole, https:// would be a piece of a secret, masked in every URL from then on.
    expect(redact("https://api.flashcat.cloud/event/push/alert/standard")).toBe(
      "https://api.flashcat.cloud/event/push/alert/standard",
    );
  });
});
