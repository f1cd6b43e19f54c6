import { describe, expect, it } from "vitest";
import { labelsLine } from "./mock-command.js";

describe("labelsLine", () => {
  it("shows an event's labels as key=value on one indented line", () => {
    expect(labelsLine({ host: "db-1", service: "billing" })).toBe("  labels: host=db-1 service=billing");
  });

  it("quotes a value with spaces or quotes, and shows nothing without labels", () => {
    expect(labelsLine({ note: 'disk "full" now' })).toBe('  labels: note="disk \\"full\\" now"');
    expect(labelsLine({})).toBeUndefined();
    expect(labelsLine(undefined)).toBeUndefined();
  });
});
