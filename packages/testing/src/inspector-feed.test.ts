import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createInspectorFeed, type InspectorFeed } from "./inspector-feed.js";
import { createMockCore, type MockCore } from "./mock-core.js";

const KEY = "inspector-feed-test-integration-key";
const post = (path: string) => (event: unknown) =>
  new Request(`http://mock.test${path}?integration_key=${KEY}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
  });
const push = post("/event/push/alert/standard");
const pushChange = post("/event/push/change/standard");

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

  test("a change push is a request followed by a change message with its seq; refused ones are requests only", async () => {
    const core = createMockCore({});
    const port = await serveFeed(core);
    const reading = readUntil(port, (text) => count(text, "request") === 3);
    await connected();
    const long = "d".repeat(3000);
    await core.handle(
      pushChange({
        title: "Deploy v2",
        change_status: "Processing",
        change_key: "deploy-42",
        description: long,
      }),
    );
    await core.handle(pushChange({ title: "no key", change_status: "Done" }));
    await core.handle(push({ title_rule: "an alert", event_status: "Info" }));
    const messages = (await reading).split("\n\n").filter((message) => message.startsWith("event: "));
    const parsed = messages.map((message) => {
      const [type, data] = message.split("\n");
      return { type: type!.slice("event: ".length), data: JSON.parse(data!.slice("data: ".length)) };
    });
    expect(parsed.map((message) => message.type)).toEqual([
      "hello",
      "request",
      "change",
      "request",
      "request",
    ]);
    expect(parsed[0]!.data.changes).toBe(true);
    const [, accepted, change, refused] = parsed;
    expect(accepted!.data.request.status).toBe(200);
    expect(accepted!.data.change).toBeUndefined();
    expect(change!.data.seq).toBe(accepted!.data.seq);
    expect(change!.data.change).toMatchObject({
      change_key: "deploy-42",
      change_status: "Processing",
      adjustments: [{ path: "description", action: "truncated", before: 3000, after: 2048 }],
    });
    expect(refused!.data.request).toMatchObject({ status: 400, code: "InvalidParameter" });
    expect(refused!.data.change).toBeUndefined();
  });

  test("the feed and its downloads keep the core's latest maxRecords; a page is told how many are kept", async () => {
    const core = createMockCore({ maxRecords: 2 });
    const port = await serveFeed(core);
    for (const title_rule of ["one", "two", "three"])
      await core.handle(push({ title_rule, event_status: "Info" }));
    await core.handle(pushChange({ title: "t", change_status: "Done", change_key: "c" }));
    expect(feed!.ndjson()).toBe('{"title_rule":"three","event_status":"Info"}\n');
    expect(feed!.changesNdjson()).toBe('{"title":"t","change_status":"Done","change_key":"c"}\n');
    const text = await readUntil(port, (read) => count(read, "change") === 1);
    expect(text).toContain('"kept":2');
    expect(count(text, "request")).toBe(2);
    expect(text).not.toContain('"two"');
  });

  test("the downloads keep accepted bodies within the core's maxRecordBytes, the newest always", async () => {
    const core = createMockCore({ maxRecordBytes: 60 }); // one body of 43 characters and its title of 3 fit, not two
    await serveFeed(core);
    for (const title_rule of ["one", "two"]) await core.handle(push({ title_rule, event_status: "Info" }));
    expect(feed!.ndjson()).toBe('{"title_rule":"two","event_status":"Info"}\n');
  });

  test("alerts and changes each have their own download, bodies exactly as sent", async () => {
    const core = createMockCore({});
    await serveFeed(core);
    const sentChange = {
      title: "Deploy v2",
      change_status: "Done",
      change_key: "deploy-42",
      labels: { env: "prod" },
    };
    await core.handle(pushChange({ ...sentChange, description: "d".repeat(3000) }));
    await core.handle(push({ title_rule: "an alert", event_status: "Info" }));
    await core.handle(pushChange(sentChange));
    expect(feed!.ndjson()).toBe('{"title_rule":"an alert","event_status":"Info"}\n');
    const lines = feed!
      .changesNdjson()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([{ ...sentChange, description: "d".repeat(3000) }, sentChange]);
    core.reset();
    expect(feed!.changesNdjson()).toBe("");
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
