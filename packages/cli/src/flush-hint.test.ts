import { describe, expect, it } from "vitest";
import { flushHint } from "./flush-hint.js";

describe("flushHint", () => {
  it("names the actual folder, quoted for the shell only when it needs it", () => {
    expect(flushHint("/var/spool/flash-call")).toBe("run: flash-call flush --spool /var/spool/flash-call");
    expect(flushHint("/tmp/my spool")).toBe("run: flash-call flush --spool '/tmp/my spool'");
    expect(flushHint("/tmp/it's")).toBe("run: flash-call flush --spool '/tmp/it'\\''s'");
  });
});
