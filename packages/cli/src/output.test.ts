import { registerSecret } from "@flash-call/keys";
import { describe, expect, it } from "vitest";
import { Output, safeLine, scrub } from "./output.js";

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
      "https://x/p?a=1&integration_key=***&b=2",
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
    expect(written.stdout).toBe("u?integration_key=***\nu?integration_key=mock\n");
  });
});

const HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\rfake line\u202eevil\u009b\u007f\ud800\nsecond";
const RAW = ["\u001b", "\u0007", "\r", "\u202e", "\u009b", "\u007f", "\ud800"];

describe("Output and terminal controls", () => {
  it("escapes controls in every human line and keeps one line per call or per error line", () => {
    const { written, stdout, stderr } = sinks();
    const output = new Output(stdout, stderr);
    output.result(`delivered ${HOSTILE}`);
    output.warn(HOSTILE);
    output.error([`Code: ${HOSTILE}`, `request_id: ${HOSTILE}`]);
    output.print(`help ${HOSTILE}\nline two\n`);
    for (const character of RAW) {
      expect(written.stdout).not.toContain(character);
      expect(written.stderr).not.toContain(character);
    }
    // The result line, then print's three lines (print is for multi-line text: a newline in it is kept).
    expect(written.stdout.split("\n")).toHaveLength(5);
    expect(written.stderr.split("\n")).toHaveLength(4); // warning, two error lines, end
    expect(written.stderr).toContain("\\x1b[2J\\x1b]0;pwned\\x07\\rfake line\\u202eevil");
  });

  it("--json stays valid JSON that means the same, with no raw control, bidi or C1 character", () => {
    const { written, stdout, stderr } = sinks();
    const output = new Output(stdout, stderr, { json: true });
    output.data({ ok: false, error: { message: HOSTILE, [`k${HOSTILE}`]: [HOSTILE] } });
    expect(written.stdout.endsWith("\n")).toBe(true);
    expect(written.stdout.slice(0, -1)).not.toContain("\n");
    for (const character of RAW) expect(written.stdout).not.toContain(character);
    expect(JSON.parse(written.stdout)).toEqual({
      ok: false,
      error: { message: HOSTILE, [`k${HOSTILE}`]: [HOSTILE] },
    });
  });

  it("masks a key in --json output even when JSON would escape it (quotes, backslashes, controls)", () => {
    const key = 'json"key\\with\u0001control-0123456789';
    registerSecret(key);
    const { written, stdout, stderr } = sinks();
    new Output(stdout, stderr, { json: true }).data({ message: `got ${key}`, [key]: key });
    for (let start = 0; start + 8 <= key.length; start += 1) {
      expect(written.stdout).not.toContain(key.slice(start, start + 8));
    }
  });

  it("masks a key whose escaped form only exists after escaping", () => {
    const key = "esc\u001bkey-0123456789abcdef";
    registerSecret(key);
    expect(safeLine(`a ${key} b`)).not.toContain("key-0123456789abcdef");
  });
});

describe("Output when writing fails", () => {
  it("never throws, and stops writing to a stream that failed", () => {
    let attempts = 0;
    const broken = {
      write: () => {
        attempts += 1;
        throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
      },
    };
    const output = new Output(broken, broken, { json: true });
    expect(() => {
      output.data({ ok: true });
      output.print("x");
      output.error(["boom"]);
      output.warn("careful");
    }).not.toThrow();
    expect(attempts).toBe(1);
  });

  it("prints something valid for a result JSON cannot hold", () => {
    const { written, stdout, stderr } = sinks();
    const looped: Record<string, unknown> = {};
    looped.self = looped;
    new Output(stdout, stderr, { json: true }).data({ big: 1n, looped });
    expect(JSON.parse(written.stdout)).toMatchObject({ ok: false, error: { code: "Unexpected" } });
  });
});
