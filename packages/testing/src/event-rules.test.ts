import { describe, expect, test } from "vitest";
import { applyEventRules } from "./event-rules.js";

describe("Flashduty's rules beyond the schema", () => {
  test("an Ok event needs an alert_key", () => {
    expect(applyEventRules({ title_rule: "t", event_status: "Ok" }).issues).toEqual([
      { path: "alert_key", message: "is required when event_status is Ok" },
    ]);
    expect(applyEventRules({ title_rule: "t", event_status: "Ok", alert_key: "k" }).issues).toEqual([]);
    expect(applyEventRules({ title_rule: "t", event_status: "Critical" }).issues).toEqual([]);
  });

  test("keeps the first image per distinct alt (a missing alt counts as one alt)", () => {
    const { event, adjustments } = applyEventRules({
      title_rule: "t",
      event_status: "Info",
      images: [
        { src: "a1", alt: "cpu" },
        { src: "b1" },
        { src: "a2", alt: "cpu" },
        { src: "c1", alt: "mem" },
        { src: "b2" },
      ],
    });
    expect(event.images).toEqual([{ src: "a1", alt: "cpu" }, { src: "b1" }, { src: "c1", alt: "mem" }]);
    expect(adjustments.map((adjustment) => adjustment.path)).toEqual(["images[2]", "images[4]"]);
  });
});
