// Runs the mock Flashduty in its own process so that the benchmarked client and the server do not share an
// event loop: a client's overhead would otherwise be hidden by (or blamed on) the server's work.
// Started by mock-child.mjs; prints one JSON line { pushUrl, controlUrl } on stdout when ready.
import { createServer } from "node:http";
import { startMockServer } from "../../packages/testing/dist/server.js";

const options = JSON.parse(process.argv[2] ?? "{}");
const mock = await startMockServer({ rateLimit: options.rateLimit ?? false });

/** Counts what the mock saw since the last reset, without shipping every event back over the wire. */
function summary() {
  let tooManyRequests = 0;
  let otherFailures = 0;
  for (const request of mock.requests) {
    if (request.status === 429) tooManyRequests += 1;
    else if (request.status >= 300) otherFailures += 1;
  }
  const alertKeys = new Set(mock.events.map((event) => event.alert_key));
  return {
    events: mock.events.length,
    distinctAlertKeys: alertKeys.size,
    requests: mock.requests.length,
    tooManyRequests,
    otherFailures,
  };
}

const control = createServer((incoming, outgoing) => {
  const answer = (status, body) => {
    outgoing.writeHead(status, { "content-type": "application/json" });
    outgoing.end(JSON.stringify(body));
  };
  if (incoming.url === "/reset" && incoming.method === "POST") {
    mock.reset();
    answer(200, { ok: true });
  } else if (incoming.url === "/summary") {
    answer(200, summary());
  } else {
    answer(404, { error: "unknown control route" });
  }
});
await new Promise((resolve) => control.listen(0, "127.0.0.1", resolve));

const stop = async () => {
  control.close();
  control.closeAllConnections();
  await mock.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
// The parent closing our stdin means it went away (even by SIGKILL): do not outlive it.
process.stdin.on("end", () => void stop());
process.stdin.resume();

process.stdout.write(
  `${JSON.stringify({ pushUrl: mock.pushUrl, controlUrl: `http://127.0.0.1:${control.address().port}` })}\n`,
);
