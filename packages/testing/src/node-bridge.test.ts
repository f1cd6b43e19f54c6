import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { BodyBudget, ServerBusy } from "./body-budget.js";
import { toFetchRequest } from "./node-bridge.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server answering each request with its body's length, or 503 when `budget` refuses it. */
async function serve(budget: BodyBudget): Promise<number> {
  server = createServer((incoming, outgoing) => {
    toFetchRequest(incoming, "http://mock.test", new AbortController().signal, budget).then(
      async (request) => outgoing.end(String((await request.arrayBuffer()).byteLength)),
      (error: unknown) => {
        incoming.resume();
        outgoing.writeHead(error instanceof ServerBusy ? 503 : 500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Opens a connection and writes a POST head declaring `length` bytes, then `sent` of them. */
function startPost(port: number, length: number, sent: number) {
  const socket = connect(port, "127.0.0.1");
  let answer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    answer += chunk;
  });
  const answered = new Promise<string>((resolve) => socket.on("end", () => resolve(answer)));
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${length}\r\n\r\n`);
  socket.write("x".repeat(sent));
  return { answered, finish: (rest: number) => socket.write("x".repeat(rest)) };
}

const statusOf = (answer: string) => answer.split(" ")[1];

describe("toFetchRequest", () => {
  test("bodies still arriving are held within the server's budget: past it, a body is refused, not buffered", async () => {
    const budget = new BodyBudget(1000);
    const port = await serve(budget);
    const slow = startPost(port, 700, 600);
    while (budget.used < 600) await new Promise<void>((resolve) => setImmediate(resolve));
    // 600 held + 500 more would pass 1000: this one is refused while the slow body is still arriving.
    expect(statusOf(await startPost(port, 500, 500).answered)).toBe("503");
    expect(budget.used).toBe(600);
    slow.finish(100);
    expect(await slow.answered).toMatch(/\r\n\r\n700$/);
    expect(budget.used).toBe(0);
    expect(await startPost(port, 500, 500).answered).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n\r\n500$/);
  });
});
