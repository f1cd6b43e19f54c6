import { registerSecret } from "@flash-call/keys";
import { describe, expect, it } from "vitest";
import { Output, scrub } from "./output.js";

function sinks() {
  const written = { stdout: "", stderr: "" };
  const stdout = { write: (text: string) => (written.stdout += text) };
  const stderr = { write: (text: string) => (written.stderr += text) };
  return { written, stdout, stderr };
}

describe("scrub", () => {
  it("masks registered keys, raw and URL-encoded, and any integration_key query value", () => {
    registerSecret("output-test-key/with+chars");
    const text = `a output-test-key/with+chars b ${encodeURIComponent("output-test-key/with+chars")} c`;
    expect(scrub(text)).not.toContain("output-test-key");
    expect(scrub("https://x/p?a=1&integration_key=unregistered123&b=2")).toBe(
      "https://x/p?a=1&integration_key=****&b=2",
    );
  });
});

describe("Output", () => {
  it("writes human results to stdout and prefixed errors to stderr", () => {
    const { written, stdout, stderr } = sinks();
    const output = new Output(stdout, stderr);
    output.result("delivered");
    output.data({ ignored: true });
    output.warn("careful");
    output.error(["Code: message", "hint: do this"]);
    expect(written.stdout).toBe("delivered\n");
    expect(written.stderr).toBe("flash-call: warning: careful\nflash-call: Code: message\n  hint: do this\n");
  });

  it("--json writes JSON results only; --quiet keeps errors and JSON", () => {
    const { written, stdout, stderr } = sinks();
    const output = new Output(stdout, stderr, { json: true, quiet: true });
    output.result("delivered");
    output.data({ ok: true });
    output.warn("careful");
    output.error(["boom"]);
    expect(written.stdout).toBe('{"ok":true}\n');
    expect(written.stderr).toBe("flash-call: boom\n");
  });

  it("print scrubs unless told the text holds the mock's own key", () => {
    const { written, stdout, stderr } = sinks();
    const output = new Output(stdout, stderr);
    output.print("u?integration_key=abc");
    output.print("u?integration_key=mock", { scrub: false });
    expect(written.stdout).toBe("u?integration_key=****\nu?integration_key=mock\n");
  });
});
