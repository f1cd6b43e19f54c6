import { LIMITS } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import type { FlashCallEvent } from "./event.js";
import { prepareEvent } from "./prepare-event.js";

const issuesOf = (event: unknown, strict = false) => {
  try {
    prepareEvent(event as FlashCallEvent, { strict });
  } catch (error) {
    expect(FlashdutyValidationError.isInstance(error)).toBe(true);
    return (error as FlashdutyValidationError).issues;
  }
  throw new Error("expected a validation error");
};

describe("prepareEvent", () => {
  test("passes a valid event through unchanged", () => {
    const event = {
      title_rule: "disk $cluster::$resource full",
      event_status: "Critical" as const,
      alert_key: "disk-db-1",
      event_time: 1_700_000_000,
      description: "92% used",
      labels: { host: "db-1", _team: "storage" },
      images: [{ src: "https://example.com/a.png", alt: "usage", href: "https://example.com" }],
    };
    expect(prepareEvent(event)).toEqual({ event, truncations: [] });
  });

  test("collects every issue at once, each with a path", () => {
    const issues = issuesOf({
      title_rule: "",
      event_status: "critical",
      event_time: 1_700_000_000_000,
      labels: { "bad-key": "x", "1st": "y", ok: null, n: Number.NaN, o: { a: 1 } },
      images: [{ src: "x".repeat(LIMITS.image_src + 1) }, { alt: "a" }],
      severity: "high",
    });
    const paths = issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(
      [
        "event_time",
        "event_status",
        "images[0].src",
        "images[1].src",
        "labels.1st",
        "labels.bad-key",
        "labels.n",
        "labels.o",
        "labels.ok",
        "severity",
        "title_rule",
      ].sort(),
    );
    expect(issues.find((issue) => issue.path === "event_status")?.message).toContain(
      'did you mean "Critical"',
    );
    expect(issues.find((issue) => issue.path === "event_time")?.message).toContain("milliseconds");
  });

  test("an Ok event needs its alert_key", () => {
    expect(issuesOf({ title_rule: "t", event_status: "Ok" })).toEqual([
      { path: "alert_key", message: expect.stringContaining("required") },
    ]);
  });

  test("a Date becomes whole seconds; fractional or negative seconds are issues", () => {
    const { event } = prepareEvent({
      title_rule: "t",
      event_status: "Info",
      event_time: new Date("2026-01-02T03:04:05.678Z"),
    });
    expect(event.event_time).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(issuesOf({ title_rule: "t", event_status: "Info", event_time: 1.5 })).toHaveLength(1);
    expect(issuesOf({ title_rule: "t", event_status: "Info", event_time: -1 })).toHaveLength(1);
    expect(issuesOf({ title_rule: "t", event_status: "Info", event_time: new Date("nope") })).toHaveLength(1);
  });

  test("label values: numbers and booleans become strings, undefined is omitted", () => {
    const { event } = prepareEvent({
      title_rule: "t",
      event_status: "Info",
      labels: { cpu: 93.5, up: false, gone: undefined },
    });
    expect(event.labels).toEqual({ cpu: "93.5", up: "false" });
  });

  test("more than 50 labels (after merging the base labels) is an issue", () => {
    const labels = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`own_${index}`, "v"]));
    const baseLabels = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`base_${index}`, "v"]));
    expect(() => prepareEvent({ title_rule: "t", event_status: "Info", labels }, { baseLabels })).toThrow(
      /at most 50/,
    );
    const { event } = prepareEvent(
      { title_rule: "t", event_status: "Info", labels: { base_0: "mine" } },
      { baseLabels },
    );
    expect(event.labels?.base_0).toBe("mine");
  });

  test("a label name over 128 characters is an issue", () => {
    expect(
      issuesOf({ title_rule: "t", event_status: "Info", labels: { ["a".repeat(129)]: "v" } }),
    ).toHaveLength(1);
  });

  test("truncates what Flashduty truncates, by code points, and reports it", () => {
    const title = "🔥".repeat(LIMITS.title_rule + 3);
    const { event, truncations } = prepareEvent({
      title_rule: title,
      event_status: "Warning",
      description: "d".repeat(LIMITS.description + 1),
      labels: { summary: "s".repeat(LIMITS.label_value + 10) },
      images: [{ src: "https://x", alt: "a".repeat(200), href: "h".repeat(300) }],
    });
    expect([...event.title_rule].length).toBe(LIMITS.title_rule);
    expect(event.title_rule.startsWith("🔥")).toBe(true);
    expect(event.description).toHaveLength(LIMITS.description);
    expect(event.labels?.summary).toHaveLength(LIMITS.label_value);
    expect(event.images?.[0]?.alt).toHaveLength(LIMITS.image_alt);
    expect(event.images?.[0]?.href).toHaveLength(LIMITS.image_href);
    expect(truncations.map((cut) => cut.path)).toEqual([
      "title_rule",
      "description",
      "labels.summary",
      "images[0].alt",
      "images[0].href",
    ]);
    expect(truncations[0]).toEqual({
      path: "title_rule",
      from: LIMITS.title_rule + 3,
      to: LIMITS.title_rule,
    });
  });

  test("strict mode rejects what would be truncated", () => {
    const issues = issuesOf({ title_rule: "t".repeat(LIMITS.title_rule + 1), event_status: "Info" }, true);
    expect(issues).toEqual([{ path: "title_rule", message: expect.stringContaining("strict") }]);
  });

  test("two images with the same alt would lose one: an issue", () => {
    const issues = issuesOf({
      title_rule: "t",
      event_status: "Info",
      images: [{ src: "https://a" }, { src: "https://b" }],
    });
    expect(issues).toEqual([{ path: "images[1].alt", message: expect.stringContaining("images[0]") }]);
  });

  test("a non-object event is an issue, not a crash", () => {
    for (const value of [null, undefined, 42, "event", []]) expect(issuesOf(value)).toHaveLength(1);
  });
});
