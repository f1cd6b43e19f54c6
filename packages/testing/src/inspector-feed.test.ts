import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createInspectorFeed, type InspectorFeed } from "./inspector-feed.js";
import { createMockCore, type MockCore } from "./mock-core.js";

const KEY = "inspector-feed-test-integration-key";
const push = (event: unknown) =>
  new Request(`http://mock.test/event/push/alert/standard?integration_key=${KEY}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
  });

let server: Server | undefined;
let feed: InspectorFeed | undefined;
afterEach(async () => {
  feed?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  feed = undefined;
});

async function serveFeed(core: MockCore, highWaterBytes?: number) {
  feed = createInspectorFeed(core, {
    pushUrlShown: "masked",
    ...(highWaterBytes === undefined ? {} : { highWaterBytes }),
  });
  const started = feed;
  server = createServer((_incoming, outgoing) => started.attach(outgoing));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Reads an SSE stream until `done(text)` holds; resolves with everything read. */
function readUntil(port: number, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest({ host: "127.0.0.1", port, path: "/" }, (answer) => {
      let text = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => {
        text += chunk;
        if (done(text)) {
          answer.destroy();
          resolve(text);
        }
      });
      answer.on("end", () => resolve(text));
    });
    sent.on("error", reject);
    sent.end();
  });
}

/** Resolves once the feed has a client (the event of it attaching, polled between turns of the event loop). */
async function connected(): Promise<void> {
  while (feed!.backlogs().length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}

const count = (text: string, type: string) => text.split(`event: ${type}\n`).length - 1;

describe("the inspector's feed", () => {
  test("a new page gets a retry hint, a hello, the requests so far, then each new one live", async () => {
    const core = createMockCore({});
    const port = await serveFeed(core);
    await core.handle(push({ title_rule: "first", event_status: "Info" }));
    const reading = readUntil(port, (text) => count(text, "request") === 2);
    await connected();
    await core.handle(push({ title_rule: "second", event_status: "Info" }));
    const text = await reading;
    expect(text.startsWith("retry: 1000\n\nevent: hello\n")).toBe(true);
    expect(text.indexOf('"first"')).toBeLessThan(text.indexOf('"second"'));
  });

  test("a reset is sent as a clear, and the download forgets what was cleared", async () => {
    const core = createMockCore({});
    const port = await serveFeed(core);
    await core.handle(push({ title_rule: "before", event_status: "Info" }));
    const reading = readUntil(port, (text) => count(text, "clear") === 1);
    await connected();
    core.reset();
    expect(await reading).toContain("event: clear\n");
    expect(feed!.ndjson()).toBe("");
    await core.handle(push({ title_rule: "after", event_status: "Info", labels: { a: "b" } }));
    expect(feed!.ndjson()).toBe('{"title_rule":"after","event_status":"Info","labels":{"a":"b"}}\n');
  });

  test("a client that does not read holds at most the high-water mark plus one message; it catches up later", async () => {
    const core = createMockCore({ rateLimit: false });
    const highWater = 16_384;
    const port = await serveFeed(core, highWater);
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    socket.pause();
    await connected();
    // Each event is about 60 kB on the wire: 200 of them are 12 MB the server would otherwise buffer.
    const labels = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`l${index}`, "v".repeat(2000)]),
    );
    for (let index = 0; index < 200; index++) {
      await core.handle(push({ title_rule: `event ${index}`, event_status: "Info", labels }));
    }
    const [backlog] = feed!.backlogs();
    expect(backlog).toBeLessThanOrEqual(highWater + 70_000);

    let received = "";
    socket.setEncoding("utf8");
    await new Promise<void>((resolve) => {
      socket.on("data", (chunk: string) => {
        received += chunk;
        if (received.includes('"title_rule":"event 199"')) resolve();
      });
      socket.resume();
    });
    socket.destroy();
    expect(count(received, "request")).toBe(200);
  });

  test("close() ends every stream", async () => {
    const core = createMockCore({});
    const port = await serveFeed(core);
    const reading = readUntil(port, () => false);
    await connected();
    feed!.close();
    expect(await reading).toContain("event: hello\n");
  });
});
