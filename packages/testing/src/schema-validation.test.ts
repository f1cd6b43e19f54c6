import { LIMITS } from "@flash-call/core/constants";
import { ALERT_EVENT_SCHEMA } from "@flash-call/core/schema";
import { describe, expect, test } from "vitest";
import { validateAgainstSchema } from "./schema-validation.js";

const validate = (body: unknown) => validateAgainstSchema(body, ALERT_EVENT_SCHEMA);
const base = { title_rule: "disk full", event_status: "Critical" };

describe("validation against the spec's AlertEvent schema", () => {
  test("a valid event passes unchanged", () => {
    const event = {
      ...base,
      alert_key: "a1",
      event_time: 1_700_000_000,
      description: "d",
      labels: { host: "db-1", _x9: "" },
      images: [{ src: "https://example.com/a.png", alt: "a", href: "https://example.com" }],
    };
    expect(validate(event)).toEqual({ value: event, issues: [], adjustments: [] });
  });

  test("truncates what the spec marks truncate, at exactly the limit, counting code points", () => {
    const { value, issues, adjustments } = validate({
      ...base,
      title_rule: "t".repeat(LIMITS.title_rule + 1),
      description: "😀".repeat(LIMITS.description + 5),
      labels: { host: "v".repeat(LIMITS.label_value + 1) },
      images: [{ src: "s", alt: "a".repeat(LIMITS.image_alt + 1), href: "h".repeat(LIMITS.image_href + 1) }],
    });
    expect(issues).toEqual([]);
    const event = value as Record<string, unknown>;
    expect(event.title_rule).toBe("t".repeat(LIMITS.title_rule));
    expect(Array.from(event.description as string)).toHaveLength(LIMITS.description);
    expect(event.labels).toEqual({ host: "v".repeat(LIMITS.label_value) });
    expect(event.images).toEqual([
      { src: "s", alt: "a".repeat(LIMITS.image_alt), href: "h".repeat(LIMITS.image_href) },
    ]);
    expect(adjustments.map((adjustment) => adjustment.path)).toEqual([
      "title_rule",
      "description",
      "labels.host",
      "images[0].alt",
      "images[0].href",
    ]);
  });

  test("values at the limit are kept", () => {
    const { value, adjustments } = validate({ ...base, title_rule: "t".repeat(LIMITS.title_rule) });
    expect((value as { title_rule: string }).title_rule).toHaveLength(LIMITS.title_rule);
    expect(adjustments).toEqual([]);
  });

  test("discards an image whose src is over 256, keeping the others", () => {
    const { value, issues, adjustments } = validate({
      ...base,
      images: [{ src: "x".repeat(LIMITS.image_src + 1), alt: "long" }, { src: "x".repeat(LIMITS.image_src) }],
    });
    expect(issues).toEqual([]);
    expect((value as { images: unknown[] }).images).toEqual([{ src: "x".repeat(LIMITS.image_src) }]);
    expect(adjustments).toEqual([{ path: "images[0]", action: "discarded" }]);
  });

  test.each([
    [{ event_status: "Critical" }, "title_rule", "is required"],
    [{ title_rule: "t" }, "event_status", "is required"],
    [{ ...base, title_rule: "" }, "title_rule", "must not be empty"],
    [{ ...base, event_status: "critical" }, "event_status", "must be one of Critical, Warning, Info, Ok"],
    [{ ...base, alert_key: "k".repeat(256) }, "alert_key", "must be at most 255 characters, got 256"],
    [{ ...base, event_time: 1_700_000_000_000 }, "event_time", "must be at most 99999999999"],
    [{ ...base, event_time: 1.5 }, "event_time", "must be an integer, got a number"],
    [{ ...base, event_time: -1 }, "event_time", "must be at least 0"],
    [{ ...base, event_time: "1700000000" }, "event_time", "must be an integer, got a string"],
    [
      { ...base, labels: { "Host-Name": "x" } },
      "labels.Host-Name",
      "key must match ^[a-zA-Z_][a-zA-Z0-9_]*$",
    ],
    [{ ...base, labels: { ["k".repeat(129)]: "x" } }, `labels.${"k".repeat(129)}`, "key must be at most 128"],
    [{ ...base, labels: { host: 1 } }, "labels.host", "must be a string, got an integer"],
    [{ ...base, labels: ["a"] }, "labels", "must be an object, got an array"],
    [{ ...base, images: [{ alt: "a" }] }, "images[0].src", "is required"],
    [{ ...base, images: [{ src: "" }] }, "images[0].src", "must not be empty"],
    [{ ...base, images: [{ src: "s", size: 1 }] }, "images[0].size", "is not a known field"],
    [{ ...base, severity: "high" }, "severity", "is not a known field"],
    [{ ...base, description: null }, "description", "must be a string, got null"],
    ["text", "body", "must be an object, got a string"],
  ])("rejects %j at %s", (body, path, message) => {
    const { issues } = validate(body);
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  test("rejects more than 50 labels and accepts exactly 50", () => {
    const labels = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`l${index}`, "v"]));
    expect(validate({ ...base, labels: labels(LIMITS.labels_max) }).issues).toEqual([]);
    expect(validate({ ...base, labels: labels(LIMITS.labels_max + 1) }).issues).toEqual([
      { path: "labels", message: "must have at most 50 entries, got 51" },
    ]);
  });

  test("reports every issue, not just the first", () => {
    const { issues } = validate({ title_rule: "", event_status: "bad", extra: 1 });
    expect(issues.map((issue) => issue.path)).toEqual(["title_rule", "event_status", "extra"]);
  });

  test("walks any schema generically (a keyword not in today's spec still applies)", () => {
    const schema = {
      type: "object",
      properties: {
        tags: {
          type: "array",
          maxItems: 2,
          items: { type: "string", maxLength: 3, "x-flashduty-overflow": "truncate" },
        },
        note: { type: "string", maxLength: 2, "x-flashduty-overflow": "discard" },
        flag: { type: ["boolean", "null"] },
      },
    } as const;
    expect(validateAgainstSchema({ tags: ["abcd"], note: "long", flag: null }, schema)).toEqual({
      value: { tags: ["abc"], flag: null },
      issues: [],
      adjustments: [
        { path: "tags[0]", action: "truncated", before: 4, after: 3 },
        { path: "note", action: "discarded" },
      ],
    });
    expect(validateAgainstSchema({ tags: ["a", "b", "c"], flag: 1 }, schema).issues).toEqual([
      { path: "tags", message: "must have at most 2 items, got 3" },
      { path: "flag", message: "must be a boolean or a null, got an integer" },
    ]);
  });

  test("a label named __proto__ is kept as a label", () => {
    const body = JSON.parse('{"title_rule":"t","event_status":"Info","labels":{"__proto__":"x","host":"a"}}');
    const { value, issues } = validate(body);
    expect(issues).toEqual([]);
    expect(JSON.stringify((value as { labels: unknown }).labels)).toBe('{"__proto__":"x","host":"a"}');
  });
});
