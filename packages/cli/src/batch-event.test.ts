import { describe, expect, it } from "vitest";
import { batchEvent } from "./batch-event.js";

describe("batchEvent", () => {
  it("reads an event_time string like --event-time and merges --label under the event's labels", () => {
    expect(
      batchEvent(
        { title_rule: "t", event_status: "Info", event_time: "2023-11-14T22:13:20Z", labels: { a: "own" } },
        { a: "flag", b: "flag" },
      ),
    ).toEqual({
      title_rule: "t",
      event_status: "Info",
      event_time: 1_700_000_000,
      labels: { a: "own", b: "flag" },
    });
  });

  it("leaves labels of the wrong shape for validation to report", () => {
    expect(batchEvent({ labels: "x" }, { a: "flag" })).toEqual({ labels: "x" });
  });
});
