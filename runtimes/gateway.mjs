// The runtime matrix's server side, in its own Node process: the mock Flashduty (a real HTTP server from the built
// testing package) plus a gateway that the probes talk to.
//   /control/fail-next  POST a Fault: the mock answers the next request with it (the testing package stays as is;
//                       this is the only way a probe in another runtime can reach failNext)
//   /control/events     GET ?runtime=NAME: how many accepted events carry that runtime label
//   /control/changes    GET ?change_key=KEY: how many accepted change events carry that change_key
//   /control/mark-requests  POST: from now on /control/requests lists only what the mock records after this point
//   /control/requests   GET: every request the mock recorded since the mark (all of them before any mark), oldest
//                       first, as { requests: [{ status, code?, fault?, alert_key? }] }: the attempts of a retried
//                       push, the ones that failed included (those carry no event to count)
//   /control/hold-next  POST: the next /event/ request is held, never answered (a server that hangs); only the
//                       client can end it, by dropping its connection
//   /control/held       GET ?until=received|closed: answers once the held request has arrived (received) or its
//                       connection has been dropped by the client (closed), or after HOLD_WAIT_CAP_MS with the
//                       state as it is, so a probe whose runtime never drops it fails by name instead of hanging
//   /control/report     POST a probe's result (the browser has no stdout); GET /control/report to read it back
//   /event/push/...     forwarded to the mock, so a page served from here pushes same-origin (the mock sends no
//                       CORS headers, and the testing package is not changed to add them); a connection the mock
//                       resets is reset for the client too
// Every answer closes its connection (see below).
//   / and /assets/NAME  the browser test page and its bundle, from the folder given as argv[2]
// Prints one JSON line { gatewayUrl, pushUrl, proxiedPushUrl } when ready; exits when its stdin closes.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { PUSH_PATH } from "../packages/core/dist/index.js";
import { startMockServer } from "../packages/testing/dist/server.js";

const assetsDirectory = process.argv[2];
const integrationKey = process.argv[3];
const mock = await startMockServer({ rateLimit: false, integrationKeys: [integrationKey] });
let report;
// Below the probe's guard on one guarantee (15 s), so a request never dropped is reported as such.
const HOLD_WAIT_CAP_MS = 10_000;
let holdNext = false;
/** The last request the mock had recorded when the probe asked for a mark; undefined for none. */
let requestMark;
/** The held request's progress: each state is a promise that resolves when it is reached. */
let held;

/** A state of the held request: `reached` once `resolve` is called, and a promise that resolves then. */
function holdState() {
  const state = { reached: false };
  state.promise = new Promise((settle) => {
    state.resolve = () => {
      state.reached = true;
      settle();
    };
  });
  return state;
}

async function holdRequest(incoming, outgoing) {
  const hold = held;
  // Closed before the answer (there is none) means the client dropped the connection.
  outgoing.on("close", () => hold.closed.resolve());
  await readBody(incoming).catch(() => {});
  hold.received.resolve();
}

async function answerHeld(until, outgoing) {
  if (held === undefined || (until !== "received" && until !== "closed"))
    return answerJson(outgoing, 400, { error: "hold-next first; until=received|closed" });
  let timer;
  const capped = new Promise((resolve) => {
    timer = setTimeout(resolve, HOLD_WAIT_CAP_MS);
  });
  await Promise.race([held[until].promise, capped]);
  clearTimeout(timer);
  answerJson(outgoing, 200, { received: held.received.reached, closed: held.closed.reached });
}

/**
 * The requests the mock recorded after the mark. The mock keeps its latest `maxRecords` (10,000 by default, far
 * more than a whole matrix sends): a mark it has forgotten since is said, never answered as an empty list.
 */
function answerRequestsSinceMark(outgoing) {
  const from = requestMark === undefined ? 0 : mock.requests.lastIndexOf(requestMark) + 1;
  if (from === 0 && requestMark !== undefined)
    return answerJson(outgoing, 409, { error: "the mark is no longer among the mock's records; mark again" });
  const requests = mock.requests
    .slice(from)
    .map(({ status, code, fault, alert_key }) => ({ status, code, fault, alert_key }));
  answerJson(outgoing, 200, { requests });
}

const CONTENT_TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
]);

async function readBody(incoming) {
  const chunks = [];
  for await (const chunk of incoming) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function answerJson(outgoing, status, body) {
  outgoing.writeHead(status, { "content-type": "application/json" });
  outgoing.end(JSON.stringify(body));
}

async function forwardToMock(incoming, outgoing) {
  const body = await readBody(incoming);
  let upstream;
  try {
    upstream = await fetch(`${mock.url}${incoming.url}`, {
      method: incoming.method,
      headers: { "content-type": incoming.headers["content-type"] ?? "application/octet-stream" },
      ...(body.length > 0 ? { body } : {}),
    });
  } catch {
    // The mock reset the connection (an injected fault): pass the failure on the same way.
    incoming.socket.destroy();
    return;
  }
  const headers = {};
  for (const [name, value] of upstream.headers) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const payload = Buffer.from(await upstream.arrayBuffer());
  outgoing.writeHead(upstream.status, headers);
  outgoing.end(payload);
}

async function serveAsset(name, outgoing) {
  const safeName = basename(name);
  const extension = safeName.slice(safeName.lastIndexOf("."));
  try {
    const content = await readFile(join(assetsDirectory, safeName));
    outgoing.writeHead(200, { "content-type": CONTENT_TYPES[extension] ?? "application/octet-stream" });
    outgoing.end(content);
  } catch {
    answerJson(outgoing, 404, { error: `no asset ${safeName}` });
  }
}

async function route(incoming, outgoing) {
  const url = new URL(incoming.url, "http://gateway");
  if (url.pathname.startsWith("/event/")) {
    if (!holdNext) return forwardToMock(incoming, outgoing);
    holdNext = false;
    return holdRequest(incoming, outgoing);
  }
  if (url.pathname === "/control/hold-next" && incoming.method === "POST") {
    await readBody(incoming);
    holdNext = true;
    held = { received: holdState(), closed: holdState() };
    return answerJson(outgoing, 200, { ok: true });
  }
  if (url.pathname === "/control/held") return answerHeld(url.searchParams.get("until"), outgoing);
  if (url.pathname === "/control/changes") {
    const changeKey = url.searchParams.get("change_key");
    const count = mock.changeEvents.filter((change) => change.change_key === changeKey).length;
    return answerJson(outgoing, 200, { count });
  }
  if (url.pathname === "/control/mark-requests" && incoming.method === "POST") {
    await readBody(incoming);
    requestMark = mock.requests.at(-1);
    return answerJson(outgoing, 200, { ok: true });
  }
  if (url.pathname === "/control/requests") return answerRequestsSinceMark(outgoing);
  if (url.pathname === "/control/fail-next" && incoming.method === "POST") {
    mock.failNext(JSON.parse((await readBody(incoming)).toString()));
    return answerJson(outgoing, 200, { ok: true });
  }
  if (url.pathname === "/control/events") {
    const runtime = url.searchParams.get("runtime");
    const count = mock.events.filter((event) => event.labels?.runtime === runtime).length;
    return answerJson(outgoing, 200, { count });
  }
  if (url.pathname === "/control/report") {
    if (incoming.method === "POST") {
      report = JSON.parse((await readBody(incoming)).toString());
      return answerJson(outgoing, 200, { ok: true });
    }
    return report === undefined
      ? answerJson(outgoing, 404, { pending: true })
      : answerJson(outgoing, 200, report);
  }
  if (url.pathname === "/") return serveAsset("page.html", outgoing);
  if (url.pathname.startsWith("/assets/")) return serveAsset(url.pathname.slice("/assets/".length), outgoing);
  return answerJson(outgoing, 404, { error: "unknown route" });
}

const gateway = createServer((incoming, outgoing) => {
  // No connection is used twice: Deno and Chromium send a request again by themselves when a connection they
  // reused is closed before its answer, which would hide a reset (the mock's fault, passed on) from the SDK.
  outgoing.setHeader("connection", "close");
  route(incoming, outgoing).catch((error) => {
    if (!outgoing.headersSent) answerJson(outgoing, 500, { error: String(error) });
  });
});
await new Promise((resolve) => gateway.listen(0, "127.0.0.1", resolve));
const gatewayUrl = `http://127.0.0.1:${gateway.address().port}`;

const stop = async () => {
  gateway.close();
  gateway.closeAllConnections();
  await mock.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();

const query = `?integration_key=${encodeURIComponent(integrationKey)}`;
process.stdout.write(
  `${JSON.stringify({ gatewayUrl, pushUrl: mock.pushUrl, proxiedPushUrl: `${gatewayUrl}${PUSH_PATH}${query}` })}\n`,
);
