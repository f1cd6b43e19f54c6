import { describe, expect, it } from "vitest";
import { labelName } from "./label-name.js";

describe("labelName", () => {
  it.each([
    ["alarm_id", "alarm_id"],
    ["ob.cluster-id", "ob_cluster_id"],
    ["1st", "_1st"],
    ["告警", "__"],
    ["", "_"],
    ["CamelCase", "CamelCase"],
  ])("%j → %j", (name, safe) => {
    expect(labelName(name)).toBe(safe);
    expect(safe).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
  });
  it("caps the length at the spec's limit", () => {
    expect(labelName("a".repeat(300))).toHaveLength(128);
  });
});
