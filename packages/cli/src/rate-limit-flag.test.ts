import { describe, expect, it } from "vitest";
import { rateLimitFlag } from "./rate-limit-flag.js";
import { UsageError } from "./usage-error.js";

describe("rateLimitFlag", () => {
  it("reads off, N/s, N/min and both, in any order, blanks around each part aside", () => {
    expect(rateLimitFlag(undefined)).toBeUndefined();
    expect(rateLimitFlag(" OFF ")).toBe(false);
    expect(rateLimitFlag("10/s")).toEqual({ perSecond: 10 });
    expect(rateLimitFlag("50/min")).toEqual({ perMinute: 50 });
    expect(rateLimitFlag(" 500/min , 20/ s ")).toEqual({ perSecond: 20, perMinute: 500 });
    expect(rateLimitFlag("10/S,60/Min")).toEqual({ perSecond: 10, perMinute: 60 });
  });

  it.each([
    ["", '--rate-limit takes off, or N/s and N/min (either or both, e.g. 100/s,1000/min), got ""'],
    ["100", '--rate-limit takes off, or N/s and N/min (either or both, e.g. 100/s,1000/min), got "100"'],
    ["10/h", '--rate-limit takes off, or N/s and N/min (either or both, e.g. 100/s,1000/min), got "10/h"'],
    [
      "1/s,2/s",
      '--rate-limit takes off, or N/s and N/min (either or both, e.g. 100/s,1000/min), got "1/s,2/s"',
    ],
    ["0/s", `--rate-limit's N/s must be at least 1, got "0"`],
    ["1.5/min", `--rate-limit's N/min needs a whole number, got "1.5"`],
    ["/s", `--rate-limit's N/s needs a whole number, got ""`],
  ])("refuses %j, saying what it takes", (value, message) => {
    expect(() => rateLimitFlag(value)).toThrow(UsageError);
    expect(() => rateLimitFlag(value)).toThrow(message);
  });
});
