import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, expectClean, neverPrint, runCli } from "./run-cli.js";

// A self-signed certificate for 127.0.0.1, committed (see fixtures/tls/README.md): trusted only when the run is
// given it through NODE_EXTRA_CA_CERTS, as a private CA would be.
const TLS = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "tls");
const CERTIFICATE = join(TLS, "cert.pem");
const KEY = "tlstestkey0123456789abcdef";
neverPrint(KEY);

let server: Server;
let origin: string;
const received: Array<{ query: string; body: unknown }> = [];
let answer: "success" | "redirect" | "huge error" = "success";

beforeAll(async () => {
  server = createServer(
    { key: readFileSync(join(TLS, "key.pem")), cert: readFileSync(CERTIFICATE) },
    (request, response) => {
      let text = "";
      request.setEncoding("utf8");
      request.on("data", (chunk) => {
        text += chunk;
      });
      request.on("end", () => {
        const url = new URL(request.url ?? "/", origin);
        received.push({ query: url.search, body: JSON.parse(text || "null") });
        if (answer === "redirect") {
          response.writeHead(307, { location: `${origin}/elsewhere` }).end();
          return;
        }
        if (answer === "huge error") {
          // An error page far over the 64 KiB the CLI reads: the answer must still come back promptly.
          response.writeHead(500, { "content-type": "text/plain" });
          response.end("x".repeat(4 * 1024 * 1024));
          return;
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ request_id: "req-tls-1", data: { alert_key: "tls-alert" } }));
      });
    },
  );
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  origin = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((closed) => server.close(closed));
});

const push = (extra: Record<string, string> = {}) =>
  runCli(
    ["push", "--title", "tls check", "--status", "Info", "--retries", "0"],
    baseEnv({ FLASHDUTY_INTEGRATION_KEY: KEY, FLASHDUTY_BASE_URL: origin, ...extra }),
  );

describe("pushing over TLS to a real https server", () => {
  it("delivers when the server's certificate is trusted (NODE_EXTRA_CA_CERTS), key in the query, event in the body", async () => {
    answer = "success";
    received.length = 0;
    const run = await push({ NODE_EXTRA_CA_CERTS: CERTIFICATE });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("alert_key=tls-alert");
    expect(received).toHaveLength(1);
    expect(received[0]?.query).toBe(`?integration_key=${KEY}`);
    expect(received[0]?.body).toMatchObject({ title_rule: "tls check", event_status: "Info" });
  });

  it("refuses a certificate it does not trust: exit 1, one line naming the TLS failure, nothing delivered", async () => {
    answer = "success";
    received.length = 0;
    const run = await push();
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Could not reach Flashduty: fetch failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/,
    );
    expect(received).toHaveLength(0);
  });

  it("does not follow a redirect: exit 1 naming it, the push sent once", async () => {
    answer = "redirect";
    received.length = 0;
    const run = await push({ NODE_EXTRA_CA_CERTS: CERTIFICATE });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not followed/);
    expect(received).toHaveLength(1);
  });

  it("answers a 4 MiB error page with exit 1 naming its status (the body is read only up to its 64 KiB limit)", async () => {
    answer = "huge error";
    received.length = 0;
    const run = await push({ NODE_EXTRA_CA_CERTS: CERTIFICATE });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/500/);
    expect(received).toHaveLength(1);
  });
});
