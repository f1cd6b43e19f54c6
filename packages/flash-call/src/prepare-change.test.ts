import { CHANGE_LIMITS } from "@flash-call/core/constants";
import { FlashdutyValidationError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import type { FlashCallChange } from "./change-event.js";
import { prepareChange } from "./prepare-change.js";

const issuesOf = (change: unknown, strict = false) => {
  try {
    prepareChange(change as FlashCallChange, { strict });
  } catch (error) {
    expect(FlashdutyValidationError.isInstance(error)).toBe(true);
    return (error as FlashdutyValidationError).issues;
  }
  throw new Error("expected a validation error");
};

describe("prepareChange", () => {
  test("passes a valid change through unchanged, a Date as seconds", () => {
    const change = {
      title: "Deploy billing v2",
      change_status: "Ready" as const,
      change_key: "deploy-42",
      description: "rollout",
      link: "https://ci.example/42",
      labels: { "team-name": "billing", "env.tier": "prod" },
    };
    expect(prepareChange(change)).toEqual({ event: change, truncations: [], masked: [] });
    // In the future: a Ready change may be planned ahead.
    const later = new Date("2030-01-01T00:00:00Z");
    expect(prepareChange({ ...change, event_time: later }).event.event_time).toBe(1_893_456_000);
  });

  test("collects every issue at once, each with a path", () => {
    const issues = issuesOf({
      title: " ",
      change_status: "done",
      event_time: 1_700_000_000_000,
      labels: { "": "x", ok: null, ["k".repeat(CHANGE_LIMITS.label_key + 1)]: "v" },
      title_rule: "an alert's field",
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      "change_key",
      "change_status",
      "event_time",
      "labels.",
      `labels.${"k".repeat(64)}…`,
      "labels.ok",
      "title",
      "title_rule",
    ]);
    expect(issues.find((issue) => issue.path === "change_status")?.message).toContain('did you mean "Done"');
  });

  test("its validation errors name a change event, not an alert event", () => {
    const messageOf = (change: unknown) => {
      try {
        prepareChange(change as FlashCallChange);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a validation error");
    };
    const unreadable = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
        get() {
          throw new Error("trap");
        },
      },
    );
    for (const change of [{ title: "", change_status: "Done", change_key: "k" }, 42, unreadable]) {
      expect(messageOf(change)).toMatch(/^Invalid change event \(\d+ issues?\): /);
    }
  });

  test("no limit where Flashduty documents none: a long title, key and link pass untouched", () => {
    const long = "x".repeat(10_000);
    const { event, truncations } = prepareChange({
      title: long,
      change_status: "Done",
      change_key: long,
      link: long,
    });
    expect([event.title, event.change_key, event.link]).toEqual([long, long, long]);
    expect(truncations).toEqual([]);
  });

  test("truncates the description and label values as Flashduty would, and reports it; strict rejects", () => {
    const long = "é".repeat(CHANGE_LIMITS.description + 3);
    const change = {
      title: "t",
      change_status: "Done" as const,
      change_key: "k",
      description: long,
      labels: { note: long },
    };
    const { event, truncations } = prepareChange(change);
    expect([...(event.description ?? "")]).toHaveLength(CHANGE_LIMITS.description);
    expect(truncations).toEqual([
      { path: "description", from: long.length, to: CHANGE_LIMITS.description },
      { path: "labels.note", from: long.length, to: CHANGE_LIMITS.label_value },
    ]);
    expect(issuesOf(change, true).map((issue) => issue.path)).toEqual(["description", "labels.note"]);
  });

  test("over the label count is rejected, not cut", () => {
    const labels = Object.fromEntries(
      Array.from({ length: CHANGE_LIMITS.labels_max + 1 }, (_, i) => [`l${i}`, "v"]),
    );
    expect(issuesOf({ title: "t", change_status: "Done", change_key: "k", labels })).toEqual([
      {
        path: "labels",
        message: `has ${CHANGE_LIMITS.labels_max + 1} labels; Flashduty accepts at most ${CHANGE_LIMITS.labels_max}`,
      },
    ]);
  });

  test("untrusted input: a throwing getter, a Proxy, a lone surrogate are issues, never crashes", () => {
    const getter = {
      title: "t",
      change_status: "Done",
      get change_key(): string {
        throw new Error("boom");
      },
    };
    expect(issuesOf(getter).map((issue) => issue.path)).toEqual(["change_key"]);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(issuesOf(revoked.proxy)[0]?.message).toContain("could not be read");
    expect(
      issuesOf({ title: "😀".slice(0, 1), change_status: "Done", change_key: "k" })[0]?.message,
    ).toContain("surrogate");
    expect(issuesOf(null)[0]?.message).toContain("must be an object");
  });
});
