// The runtime matrix's gateway (runtimes/gateway.mjs) in front of this package's built mock server, over real HTTP:
// the controls a probe reads the mock's recorded attempts with, and the connection every answer closes.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";

const gatewayScript = fileURLToPath(new URL("../../../runtimes/gateway.mjs", import.meta.url));
const integrationKey = "gatewaytest0123456789abcdef";
const event = JSON.stringify({ title_rule: "gateway test", event_status: "Info" });

let gateway: ChildProcess;
let urls: { gatewayUrl: string; pushUrl: string; proxiedPushUrl: string };

beforeAll(async () => {
  // No assets are served in these tests: the folder is never read.
  gateway = spawn(process.execPath, [gatewayScript, "/nonexistent", integrationKey], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [line] = await once(createInterface({ input: gateway.stdout! }), "line");
  urls = JSON.parse(line as string);
});

afterAll(async () => {
  if (gateway.exitCode !== null) return;
  const exited = once(gateway, "exit");
  // The gateway stops when its stdin closes, as when the runner ends.
  gateway.stdin!.end();
  await exited;
});

const control = (path: string, body?: unknown) =>
  fetch(
    `${urls.gatewayUrl}/control/${path}`,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
  );

const push = (url: string) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: event });

async function recordedSinceMark(): Promise<unknown> {
  const answer = await control("requests");
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { requests: unknown }).requests;
}

test("/control/requests lists every attempt the mock recorded since the mark, the failed ones included", async () => {
  expect((await push(urls.pushUrl)).status).toBe(200);
  expect(await recordedSinceMark()).toHaveLength(1);

  await control("mark-requests", {});
  expect(await recordedSinceMark()).toEqual([]);
  await control("fail-next", { kind: "error", code: "RequestTooFrequently", retryAfter: 1 });
  expect((await push(urls.pushUrl)).status).toBe(429);
  const delivered = (await (await push(urls.pushUrl)).json()) as { data: { alert_key: string } };

  expect(await recordedSinceMark()).toEqual([
    { status: 429, code: "RequestTooFrequently", fault: "error" },
    { status: 200, alert_key: delivered.data.alert_key },
  ]);
});

test("a reset the mock injects into a forwarded push reaches the client as a dropped connection", async () => {
  await control("mark-requests", {});
  await control("fail-next", { kind: "reset" });
  await expect(push(urls.proxiedPushUrl)).rejects.toThrow(TypeError);
  expect(await recordedSinceMark()).toEqual([{ status: 0, fault: "reset" }]);
});

test("every answer closes its connection, so no runtime resends a request on a reused one", async () => {
  const connectionHeader = await new Promise<string | undefined>((resolve, reject) => {
    const asked = httpRequest(`${urls.gatewayUrl}/control/requests`, (answer) => {
      answer.resume();
      resolve(answer.headers.connection);
    });
    asked.on("error", reject).end();
  });
  expect(connectionHeader).toBe("close");
});
