import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, baseEnv, runCli } from "./run-cli.js";

/**
 * Resolves when `read()` matches `pattern`, checked each time `stream` delivers a chunk (no polling); rejects if
 * the stream ends first, so a mock that dies fails the test instead of hanging it.
 */
function waitFor(
  stream: NodeJS.ReadableStream,
  read: () => string,
  pattern: RegExp,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = read().match(pattern);
      if (match === null) return false;
      stream.off("data", onData);
      stream.off("end", onEnd);
      resolve(match);
      return true;
    };
    // Registered after the test's own "data" listener, so read() already holds this chunk.
    const onData = () => void check();
    const onEnd = () => {
      if (!check()) reject(new Error(`output ended without ${pattern}:\n${read()}`));
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    check();
  });
}

describe("flash-call mock", () => {
  it.each([["SIGINT"], ["SIGTERM"]] as const)(
    "prints its push URL and each event, and stops on %s",
    async (signal) => {
      const child = spawn(process.execPath, [BIN, "mock", "--port", "0"], { env: baseEnv() });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      try {
        const [, pushUrl] = await waitFor(child.stdout, () => stdout, /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m);
        expect(stdout).toMatch(/mock key, not a real Flashduty key/);
        const run = await runCli(
          [
            "push",
            "-t",
            "hello from the test",
            "-s",
            "Info",
            "-k",
            "mock-1",
            "-l",
            "host=db-1",
            "-l",
            "service=billing",
          ],
          baseEnv({ FLASHDUTY_PUSH_URL: pushUrl ?? "" }),
        );
        expect(run.code).toBe(0);
        await waitFor(
          child.stdout,
          () => stdout,
          /Info\s+alert_key=mock-1 "hello from the test"\n {2}labels: host=db-1 service=billing\n/,
        );
      } finally {
        child.kill(signal);
      }
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/mock stopped/);
      expect(stderr).toBe("");
    },
  );

  it("says the rate limits it enforces, and --rate-limit sets or lifts them", async () => {
    const started = async (flags: string[]) => {
      const child = spawn(process.execPath, [BIN, "mock", "--port", "0", ...flags], { env: baseEnv() });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      const exited = new Promise((resolve) => child.on("close", resolve));
      const [, pushUrl] = await waitFor(child.stdout, () => stdout, /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m);
      await waitFor(child.stdout, () => stdout, /waiting for events/);
      return {
        pushUrl: pushUrl as string,
        stdout: () => stdout,
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      };
    };
    const flashduty = await started([]);
    try {
      expect(flashduty.stdout()).toContain(
        "rate limits per key: 100/s and 1000/min, as Flashduty's; over them a push gets 429 RequestTooFrequently with Retry-After (--rate-limit off lifts them)",
      );
    } finally {
      await flashduty.stop();
    }

    const strict = await started(["--rate-limit", "1/min"]);
    try {
      expect(strict.stdout()).toContain("rate limits per key: 100/s and 1/min;");
      const env = baseEnv({ FLASHDUTY_PUSH_URL: strict.pushUrl });
      expect((await runCli(["push", "-t", "first", "-s", "Info"], env)).code).toBe(0);
      const second = await runCli(["push", "-t", "second", "-s", "Info", "--retries", "0"], env);
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toMatch(/RequestTooFrequently/);
    } finally {
      await strict.stop();
    }

    const off = await started(["--rate-limit", "off"]);
    try {
      expect(off.stdout()).toContain("rate limits: off (--rate-limit off)");
    } finally {
      await off.stop();
    }
    // What the mock was given, as --json says it (the mock's own tests prove what `rateLimit: false` does).
    const json = spawn(process.execPath, [BIN, "mock", "--port", "0", "--json", "--rate-limit", "5/s"], {
      env: baseEnv(),
    });
    let first = "";
    json.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      first += chunk;
    });
    const closed = new Promise((resolve) => json.on("close", resolve));
    try {
      await waitFor(json.stdout, () => first, /\n/);
      const started = JSON.parse(first.split("\n")[0] as string);
      expect(started).toMatchObject({ rate_limit: { per_second: 5, per_minute: 1000 } });
      // Both push URLs, as the plain output prints them: the change one for `flash-call change` and `deploy`.
      const key = new URL(started.push_url).searchParams.get("integration_key");
      expect(started.change_push_url).toBe(
        `${started.listening}/event/push/change/standard?integration_key=${key}`,
      );
    } finally {
      json.kill("SIGTERM");
      await closed;
    }
    const bad = await runCli(["mock", "--rate-limit", "fast"], baseEnv());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^flash-call: UsageError: --rate-limit takes off, or N\/s and N\/min/);
  });

  it("rejects a bad port", async () => {
    const run = await runCli(["mock", "--port", "http"], baseEnv());
    expect(run.code).toBe(2);
    const tooHigh = await runCli(["mock", "--port", "70000"], baseEnv());
    expect(tooHigh.code).toBe(2);
    expect(tooHigh.stderr).toMatch(/--port must be at most 65535/);
  });

  it("refuses a blank, zero, negative, fractional or absurd record limit with exit 2 and one line", async () => {
    const cases = [
      [["--max-records", "0"], '--max-records must be at least 1, got "0"'],
      [["--max-records="], '--max-records needs a whole number, got ""'],
      [["--max-record-bytes=-5"], '--max-record-bytes needs a whole number, got "-5"'],
      [["--max-records", "1.5"], '--max-records needs a whole number, got "1.5"'],
      [["--max-record-bytes", "9".repeat(20)], "--max-record-bytes must be at most 9007199254740991"],
    ] as const;
    for (const [flags, message] of cases) {
      const run = await runCli(["mock", "--port", "0", ...flags], baseEnv());
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.split("\n")[0]).toContain(`flash-call: UsageError: ${message}`);
    }
  });

  it.each([
    ["--max-records", "2", ["event 2", "event 3"]],
    // The newest record is kept whatever its size; every older one is over a limit of 1.
    ["--max-record-bytes", "1", ["event 3"]],
  ] as const)("%s %s keeps the latest records and forgets the oldest first", async (flag, value, kept) => {
    const child = spawn(process.execPath, [BIN, "mock", "--port", "0", flag, value], { env: baseEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const [, pushUrl] = await waitFor(child.stdout, () => stdout, /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m);
      const [, url] = await waitFor(child.stdout, () => stdout, /listening on (http:\/\/\S+)$/m);
      // One alert_key: a batch sends its events one after another, in input order.
      const events = [1, 2, 3].map((index) =>
        JSON.stringify({ title_rule: `event ${index}`, event_status: "Info", alert_key: "kept" }),
      );
      const run = await runCli(
        ["push", "-"],
        baseEnv({ FLASHDUTY_PUSH_URL: pushUrl ?? "" }),
        events.join("\n"),
      );
      expect(run.code).toBe(0);
      await waitFor(child.stdout, () => stdout, /alert_key=kept "event 3"/);
      const download = await fetch(`${url}/inspector/events.ndjson`);
      expect(download.status).toBe(200);
      const titles = (await download.text())
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line).title_rule);
      expect(titles).toEqual(kept);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });

  it("prints a received event's terminal controls escaped", async () => {
    const child = spawn(process.execPath, [BIN, "mock", "--port", "0"], { env: baseEnv() });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const [, pushUrl] = await waitFor(child.stdout, () => stdout, /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m);
      const title = "t\u001b[2J\u001b]0;owned\u0007\r\u202eevil";
      const run = await runCli(
        ["push", "-t", title, "-s", "Info", "-k", "mock-2"],
        baseEnv({ FLASHDUTY_PUSH_URL: pushUrl ?? "" }),
      );
      expect(run.code).toBe(0);
      await waitFor(child.stdout, () => stdout, /alert_key=mock-2 /);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    for (const raw of ["\u001b", "\u0007", "\r", "\u202e"]) expect(stdout).not.toContain(raw);
    expect(stdout).toContain('"t\\u001b[2J\\u001b]0;owned\\u0007\\r\\u202eevil"');
  });
});
