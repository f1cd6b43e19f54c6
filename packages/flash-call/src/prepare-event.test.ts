import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { LIMITS } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import { build } from "esbuild";
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

/**
 * What `script` (TypeScript beside this file, bundled from the workspace's sources) writes to stdout, run by a
 * child Node whose heap is limited to `heapMb`, and how that child ended: running out of memory kills only it.
 */
async function inSmallHeap(script: string, heapMb: number) {
  const bundled = await build({
    stdin: { contents: script, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader: "ts" },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    conditions: ["flash-call-source"],
    logLevel: "silent",
  });
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, "-"], {
    input: bundled.outputFiles[0]?.text,
    encoding: "utf8",
  });
  return { status: child.status, signal: child.signal, stdout: child.stdout };
}

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
    expect(prepareEvent(event)).toEqual({ event, truncations: [], masked: [] });
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

  test("truncates a 64 MiB description in a heap far smaller than an array of its characters", async () => {
    // An array with one entry per character would take 512 MiB: the worker would run out of memory.
    const script = `
      import { prepareEvent } from "./prepare-event.js";
      const description = "x".repeat(64 * 2 ** 20);
      const { event, truncations } = prepareEvent({ title_rule: "t", event_status: "Warning", description });
      process.stdout.write(JSON.stringify({ description: event.description, truncations }));
    `;
    const { status, signal, stdout } = await inSmallHeap(script, 192);
    expect({ status, signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(stdout)).toEqual({
      description: "x".repeat(LIMITS.description),
      truncations: [{ path: "description", from: 64 * 2 ** 20, to: LIMITS.description }],
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

  test("a Date event_time has the number's range: not before 1970, not after the spec's maximum", () => {
    const at = (event_time: unknown) => issuesOf({ title_rule: "t", event_status: "Info", event_time });
    expect(at(new Date(-1000))).toEqual([{ path: "event_time", message: expect.stringContaining("1970") }]);
    expect(at(new Date("+010000-01-01T00:00:00Z"))).toEqual([
      { path: "event_time", message: expect.stringContaining("latest") },
    ]);
    expect(at(new Date(8.64e15))).toHaveLength(1);
    expect(at(new Date(Number.NaN))).toEqual([{ path: "event_time", message: "is an invalid Date" }]);
    const latest = new Date(LIMITS.event_time_max * 1000 + 999);
    expect(prepareEvent({ title_rule: "t", event_status: "Info", event_time: latest }).event.event_time).toBe(
      LIMITS.event_time_max,
    );
    expect(
      prepareEvent({ title_rule: "t", event_status: "Info", event_time: new Date(0) }).event.event_time,
    ).toBe(0);
    // A number far past even a millisecond reading is out of range, said as such.
    expect(at(1e300)).toEqual([
      { path: "event_time", message: expect.stringContaining("even read as milliseconds") },
    ]);
  });

  test("something that only looks like a Date is an issue, not a TypeError (fuzz counterexample)", () => {
    const fake = Object.create(Date.prototype);
    expect(issuesOf({ title_rule: "t", event_status: "Info", event_time: fake })).toEqual([
      { path: "event_time", message: expect.stringContaining("must be a Date") },
    ]);
    // A Date subclass is read with Date's own getTime, whatever it overrides.
    class Shifted extends Date {
      override getTime() {
        return -1;
      }
    }
    const shifted = new Shifted(Date.UTC(2026, 0, 1));
    expect(
      prepareEvent({ title_rule: "t", event_status: "Info", event_time: shifted }).event.event_time,
    ).toBe(Date.UTC(2026, 0, 1) / 1000);
  });

  test.each([
    ["a number", 42],
    ["null", null],
    ["a Symbol", Symbol("Critical")],
    ["an object without a prototype", Object.create(null)],
    ["an object whose toString is not callable", { toString: 0, valueOf: 0 }],
    [
      "an object whose toString throws",
      {
        toString() {
          throw new Error("boom");
        },
      },
    ],
  ])("an event_status that is %s is an issue", (_, event_status) => {
    expect(issuesOf({ title_rule: "t", event_status })).toEqual([
      { path: "event_status", message: expect.stringContaining("must be a string") },
    ]);
  });

  test("a lone UTF-16 surrogate in any text is an issue: Flashduty would silently replace it", () => {
    const issues = issuesOf({
      title_rule: "disk \uD83D",
      event_status: "Warning",
      alert_key: "a\uDC00",
      description: "\uDE00 at the start",
      labels: { host: "db\uD800-1", "n\uD800": "v" },
      images: [{ src: "https://x/\uD800", alt: "\uDFFF" }],
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      "title_rule",
      "alert_key",
      "description",
      "labels.host",
      "labels.n\\ud800",
      "images[0].src",
      "images[0].alt",
    ]);
    expect(issues[0]?.message).toContain("lone UTF-16 surrogate");
    // A whole surrogate pair is a character like any other.
    expect(prepareEvent({ title_rule: "🔥 \uD83D\uDE00", event_status: "Info" }).event.title_rule).toBe(
      "🔥 😀",
    );
  });

  test("a getter that throws is an issue at its path, and no getter is read twice", () => {
    let reads = 0;
    const event = {
      event_status: "Info",
      get title_rule() {
        reads++;
        return "t";
      },
      get alert_key(): string {
        throw new Error("getter");
      },
      labels: Object.defineProperty({ ok: "v" }, "bad", {
        enumerable: true,
        get() {
          throw new Error("label getter");
        },
      }),
      images: [
        Object.defineProperty({}, "src", {
          enumerable: true,
          get() {
            throw new Error("image getter");
          },
        }),
      ],
    };
    expect(issuesOf(event)).toEqual([
      { path: "alert_key", message: expect.stringContaining("getter threw") },
      { path: "labels.bad", message: expect.stringContaining("getter threw") },
      { path: "images[0].src", message: expect.stringContaining("getter threw") },
    ]);
    expect(reads).toBe(1);
  });

  test("Proxies whose traps throw, or that are revoked, are issues (fuzz counterexamples)", () => {
    const throwing = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("ownKeys");
        },
        get: () => {
          throw new Error("get");
        },
      },
    );
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    expect(issuesOf({ title_rule: "t", event_status: "Info", labels: throwing })).toEqual([
      { path: "labels", message: expect.stringContaining("could not be read") },
    ]);
    // Every field it was asked for is reported, each at its own path.
    expect(issuesOf(throwing)).toContainEqual({
      path: "",
      message: expect.stringContaining("could not be read"),
    });
    expect(issuesOf({ title_rule: "t", event_status: "Info", images: revoked.proxy })).toHaveLength(1);
    expect(issuesOf(revoked.proxy)).toHaveLength(1);
    // A Proxy that behaves is an object like any other.
    const labels = new Proxy({ host: "db-1" }, {});
    expect(prepareEvent({ title_rule: "t", event_status: "Info", labels }).event.labels).toEqual({
      host: "db-1",
    });
  });

  test("a label named __proto__ (an own key, as JSON.parse makes it) is sent as a label, from the event or the base", () => {
    const event = JSON.parse(
      '{"title_rule":"t","event_status":"Info","labels":{"__proto__":"own","host":"h"}}',
    );
    const baseLabels = JSON.parse('{"__proto__":"base","constructor":"c"}');
    const { event: prepared } = prepareEvent(event, { baseLabels });
    expect(Object.getPrototypeOf(prepared.labels)).toBe(Object.prototype);
    expect(Object.keys(prepared.labels ?? {})).toEqual(["__proto__", "constructor", "host"]);
    expect(JSON.stringify(prepared.labels)).toBe('{"__proto__":"own","constructor":"c","host":"h"}');
  });

  test("a Symbol-keyed label is an issue, not silently dropped", () => {
    expect(issuesOf({ title_rule: "t", event_status: "Info", labels: { [Symbol("host")]: "db-1" } })).toEqual(
      [{ path: "labels", message: expect.stringContaining("Symbol") }],
    );
  });

  test("labels JSON would not carry (a Map's entries, inherited fields) are an issue, not silently dropped", () => {
    const event = { title_rule: "t", event_status: "Info" } as const;
    expect(issuesOf({ ...event, labels: new Map([["host", "db-1"]]) })).toEqual([
      { path: "labels", message: "is a Map: pass Object.fromEntries(map)" },
    ]);
    const inherited = Object.assign(Object.create({ team: "db" }), { host: "db-1" });
    expect(issuesOf({ ...event, labels: inherited })).toEqual([
      { path: "labels", message: 'inherits "team": pass own fields, e.g. { ...labels }' },
    ]);
    // Own fields of any object are sent as they are: a class instance, an object without a prototype.
    class Labels {
      host = "db-1";
    }
    expect(prepareEvent({ ...event, labels: new Labels() as never }).event.labels).toEqual({ host: "db-1" });
    const bare = Object.assign(Object.create(null), { host: "db-1" });
    expect(prepareEvent({ ...event, labels: bare }).event.labels).toEqual({ host: "db-1" });
  });

  test("an issue quotes a user's text short and printable", () => {
    const issues = issuesOf({
      title_rule: "t",
      event_status: `\u001b[31m${"x".repeat(5000)}`,
      "bad\nfield": 1,
    });
    expect(issues.map((issue) => issue.path)).toEqual(["bad\\nfield", "event_status"]);
    const message = issues[1]?.message ?? "";
    expect(message).toContain("\\u001b[31m");
    expect(message).not.toContain("\u001b");
    expect(message.length).toBeLessThan(200);
  });
});

test("a label named __proto__ is sent as a label, not dropped", () => {
  const labels = JSON.parse('{"__proto__":"x","host":"a"}') as Record<string, string>;
  const { event } = prepareEvent({ title_rule: "t", event_status: "Info", labels });
  expect(Object.keys(event.labels ?? {})).toEqual(["__proto__", "host"]);
  expect(JSON.stringify(event.labels)).toBe('{"__proto__":"x","host":"a"}');
});
