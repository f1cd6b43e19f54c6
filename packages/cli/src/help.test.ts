import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORDS } from "@flash-call/testing/server";
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from "flash-call";
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

  it("gives --timeout and --retries the SDK's own defaults, which apply when they are not given", () => {
    const withConnection = (["push", "resolve", "change", "deploy", "ocp", "flush"] as const).filter(
      (command) => helpText(command).includes("--timeout MS"),
    );
    expect(withConnection).toContain("push");
    for (const command of withConnection) {
      const help = helpText(command);
      expect(help).toContain(`--timeout MS        per attempt, default ${DEFAULT_TIMEOUT_MS}\n`);
      expect(help).toContain(
        `--retries N         retries after the first attempt, default ${DEFAULT_MAX_RETRIES}\n`,
      );
    }
    expect([DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES]).toEqual([10_000, 3]);
  });
});
