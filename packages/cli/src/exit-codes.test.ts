import { describe, expect, it } from "vitest";
import { EXIT_CODES, worstExitCode } from "./exit-codes.js";

describe("worstExitCode", () => {
  it("ranks failed over invalid over spooled over delivered", () => {
    expect(worstExitCode([])).toBe(EXIT_CODES.delivered);
    expect(worstExitCode([0, 3])).toBe(3);
    expect(worstExitCode([3, 2, 0])).toBe(2);
    expect(worstExitCode([2, 1, 3])).toBe(1);
  });
});
