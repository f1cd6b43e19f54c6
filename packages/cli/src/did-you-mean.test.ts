import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.js";

const FLAGS = ["--title", "--status", "--alert-key", "--timeout", "--label", "--key", "--dry-run"];
const STATUSES = ["Critical", "Warning", "Info", "Ok"];

describe("didYouMean", () => {
  it("finds a mistyped flag or status", () => {
    expect(didYouMean("--titel", FLAGS)).toBe("--title");
    expect(didYouMean("--alertkey", FLAGS)).toBe("--alert-key");
    expect(didYouMean("--dryrun", FLAGS)).toBe("--dry-run");
    expect(didYouMean("critcal", STATUSES)).toBe("Critical");
    expect(didYouMean("WARN", STATUSES)).toBe("Warning");
    expect(didYouMean("ok", STATUSES)).toBe("Ok");
  });

  it("suggests nothing for a word that is not close, or not a word", () => {
    expect(didYouMean("--bogus", FLAGS)).toBeUndefined();
    expect(didYouMean("Fatal", STATUSES)).toBeUndefined();
    expect(didYouMean("", STATUSES)).toBeUndefined();
    expect(didYouMean("x".repeat(5_000), STATUSES)).toBeUndefined();
  });
});
