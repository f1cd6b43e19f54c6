import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORDS } from "@flash-call/testing/server";
import { describe, expect, it } from "vitest";
import { helpText } from "./help.js";

describe("helpText", () => {
  it("gives the mock's record limits the testing package's defaults", () => {
    // Written out in the help, which a push also bundles and so cannot import the mock server for them.
    const help = helpText("mock");
    expect(help).toMatch(new RegExp(`--max-records N .*; default ${DEFAULT_MAX_RECORDS}\\n`));
    expect(help).toMatch(
      new RegExp(`--max-record-bytes N [^]*; default ${DEFAULT_MAX_RECORD_BYTES} \\(256 Mi\\)\\n`),
    );
    expect(DEFAULT_MAX_RECORD_BYTES).toBe(256 * 1024 * 1024);
  });
});
