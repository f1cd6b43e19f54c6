import { describe, expect, it } from "vitest";
import { describePositions } from "./input-positions.js";

describe("describePositions", () => {
  it("folds consecutive lines into ranges and keeps gaps exact", () => {
    expect(describePositions(["line 9", "line 3", "line 4", "line 5", "line 11"])).toBe("lines 3-5, 9, 11");
  });
  it("names a single position in the singular", () => {
    expect(describePositions(["index 0"])).toBe("index 0");
    expect(describePositions(["line 7"])).toBe("line 7");
  });
  it("names array indexes", () => {
    expect(describePositions(["index 0", "index 1", "index 2"])).toBe("indexes 0-2");
  });
  it("lists a location it cannot read as it is", () => {
    expect(describePositions(["line 2", "somewhere"])).toBe("line 2; somewhere");
  });
  it("says nothing for no positions", () => {
    expect(describePositions([])).toBe("");
  });
});
