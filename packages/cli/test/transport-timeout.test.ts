import { mkdtemp, readdir } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, expectClean, neverPrint, runCli } from "./run-cli.js";

// The bin's own transport (no preload, no proxy: a socket of node:net for one event) against a server that takes the push and then stalls:
// before any answer, or after the headers in the middle of the body. The CLI's --timeout must end both.
const KEY = "transporttimeout0123456789";
neverPrint(KEY);

let server: Server;
let origin: string;
let stall: "before headers" | "in the body" = "before headers";
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      held.push(response);
      if (stall === "in the body") {
        response.writeHead(200, { "content-type": "application/json" });
        response.write('{"request_id":"stalled","data":');
      }
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const response of held) response.destroy();
  await new Promise((closed) => server.close(closed));
});

const push = (extra: string[] = []) =>
  runCli(
    ["push", "--title", "stalled", "--status", "Info", "--retries", "0", "--timeout", "400", ...extra],
    baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: origin }),
  );

describe("--timeout on the bin's own transport", () => {
  it.each(["before headers", "in the body"] as const)(
    "a server that stalls %s: exit 1 with Timeout",
    async (where) => {
      stall = where;
      const run = await push();
      expectClean(run);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/\bTimeout\b/);
    },
  );

  it("with a spool, a stalled push is spooled: exit 3 and one entry", async () => {
    stall = "before headers";
    const spool = await mkdtemp(join(tmpdir(), "flash-call-transport-"));
    const run = await push(["--spool", spool]);
    expectClean(run);
    expect(run.code).toBe(3);
    expect((await readdir(spool)).filter((name) => name.endsWith(".json"))).toHaveLength(1);
  });
});
