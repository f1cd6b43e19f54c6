import { describe, expect, test } from "vitest";
import { OverriddenLabels } from "./overridden-labels.js";

describe("OverriddenLabels", () => {
  test("says nothing when no event's own label gives a flag another value", () => {
    const overridden = new OverriddenLabels({ env: "prod" });
    overridden.note({});
    overridden.note({ env: "prod", team: "db" });
    expect(overridden.message()).toBeUndefined();
  });

  test("names each overridden flag once and counts the events, never quoting a value", () => {
    const overridden = new OverriddenLabels({ env: "prod", team: "db", region: "eu" });
    overridden.note({ env: "s3cr3t-staging" });
    overridden.note({ env: "dev", team: "web" });
    overridden.note({ region: "eu" });
    const message = overridden.message();
    expect(message).toBe(
      "--label env, team were not sent with 2 events: their own labels of those names have other values, and an event's own labels win",
    );
    expect(message).not.toContain("s3cr3t");
    expect(message).not.toContain("prod");
  });

  test("an inherited name is not the event's own label", () => {
    const overridden = new OverriddenLabels({ toString: "x" });
    overridden.note({});
    expect(overridden.message()).toBeUndefined();
  });
});
