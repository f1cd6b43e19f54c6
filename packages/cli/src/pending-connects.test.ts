import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { afterEach, expect, it } from "vitest";
import { proxyFetch } from "./proxy-fetch.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A proxy on 127.0.0.1 that reads each CONNECT and never answers it; `connected` resolves with its socket. */
async function silentProxy() {
  const sockets: Socket[] = [];
  let arrived: (socket: Socket) => void = () => {};
  const connected = new Promise<Socket>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.once("data", () => arrived(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connected };
}

it("a CONNECT the proxy never answers is ended once its request is aborted, not left open", async () => {
  const proxy = await silentProxy();
  const fetch = await proxyFetch({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
  const controller = new AbortController();
  const sending = fetch?.("http://flashduty.invalid/event/push/alert/standard", {
    method: "POST",
    body: "{}",
    signal: controller.signal,
  });
  const socket = await proxy.connected;
  const closed = once(socket, "close");
  controller.abort(new Error("the attempt's time is up"));
  await expect(sending).rejects.toThrow("the attempt's time is up");
  // The proxy sees its connection closed: nothing of the request is left holding it.
  await closed;
});

it("a CONNECT another request still waits for is left alone", async () => {
  const proxy = await silentProxy();
  const fetch = await proxyFetch({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
  const send = (signal: AbortSignal | null = null) =>
    fetch?.("http://flashduty.invalid/", { method: "POST", body: "{}", signal }).catch(
      (error: unknown) => error,
    );
  const waiting = send();
  const socket = await proxy.connected;
  const first = new AbortController();
  first.abort(new Error("first gave up"));
  expect(await send(first.signal)).toMatchObject({ message: "first gave up" });
  // The waiting request's CONNECT is still open: the proxy's answer to it reaches that request.
  socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
  expect(String(((await waiting) as TypeError).cause)).toMatch(/the proxy answered HTTP 502/);
});
