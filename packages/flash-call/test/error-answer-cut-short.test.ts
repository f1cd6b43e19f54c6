// An error answer whose connection dies part way through its body, from a real server over real HTTP: it is judged by
// its status and headers as a whole one is (a 4xx is never retried, a 429's Retry-After is read), not taken for a
// network failure, which would retry what the contract says is never retried.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FlashdutyApiError, FlashdutyError, RequestTooFrequentlyError } from "@flash-call/errors";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { createFlashCall } from "../src/flash-call.js";

const KEY = "cutERROR+Secret/Key=5519";
/** What the next answers are: a status and headers, then half the announced body and a dead connection. */
let answers: { status: number; headers: Record<string, string> }[] = [];
let requests = 0;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((incoming, outgoing) => {
    requests += 1;
    incoming.resume();
    incoming.on("end", () => {
      const answer = answers.shift() ?? { status: 500, headers: {} };
      const body = JSON.stringify({ request_id: "r", error: { code: "X", message: "y".repeat(200) } });
      outgoing.writeHead(answer.status, {
        ...answer.headers,
        "content-type": "application/json",
        "content-length": String(body.length),
      });
      outgoing.write(body.slice(0, 40), () => outgoing.socket?.destroy());
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests = 0;
  answers = [];
});

const instance = () =>
  createFlashCall({
    baseUrl,
    integrationKey: KEY,
    rateLimit: false,
    maxRetries: 3,
    backoff: { baseMs: 1, maxMs: 2 },
    maxRetryAfterMs: 500,
    logLevel: "silent",
  });

async function failure(): Promise<FlashdutyError> {
  const error = await instance()
    .push({ title_rule: "cut", event_status: "Info" })
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(FlashdutyError.isInstance(error)).toBe(true);
  return error as FlashdutyError;
}

test("a 400 cut short is a 400: not retried", async () => {
  answers = [{ status: 400, headers: {} }];
  const error = await failure();
  expect(FlashdutyApiError.isInstance(error)).toBe(true);
  expect([error.status, error.retryable]).toEqual([400, false]);
  expect(requests).toBe(1);
  expect(leakedPieces(`${error.message} ${JSON.stringify(error)}`, KEY)).toEqual([]);
});

test("a 429 cut short keeps its Retry-After", async () => {
  answers = [{ status: 429, headers: { "retry-after": "7" } }];
  const error = await failure();
  expect(RequestTooFrequentlyError.isInstance(error)).toBe(true);
  expect(error.retryAfterMs).toBe(7000);
  // Over maxRetryAfterMs: not retried, so the header was read.
  expect(requests).toBe(1);
});

test("a 503 cut short is retried as a 503 is", async () => {
  answers = [
    { status: 503, headers: {} },
    { status: 503, headers: {} },
  ];
  const error = await failure();
  expect(error.status).toBe(500);
  expect(requests).toBe(4);
});
