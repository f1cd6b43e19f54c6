import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { proxyFetch } from "./proxy-fetch.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/**
 * A proxy on 127.0.0.1 that answers every CONNECT with `answer` (and tunnels nothing); counts the CONNECTs and
 * calls `onConnect` with the count after each.
 */
async function brokenProxy(answer: (socket: Socket) => void, onConnect: (count: number) => void) {
  let connects = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let head = "";
    socket.on("data", (bytes) => {
      head += bytes.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.removeAllListeners("data");
      onConnect(++connects);
      answer(socket);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects: () => connects };
}

describe("a proxy that drops the tunnel before the request is sent", () => {
  it.each([
    ["closes the connection on CONNECT", (socket: Socket) => socket.destroy()],
    [
      "answers CONNECT with an interim 1xx",
      (socket: Socket) => socket.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
    ],
    [
      "follows its 200 with an answer of its own",
      (socket: Socket) =>
        socket.write(
          'HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 45\r\n\r\n{"request_id":"fake","data":{"alert_key":"x"}}',
        ),
    ],
  ])("%s: the request fails after at most two CONNECTs, not a loop of them", async (_, answer) => {
    // Aborted at the third CONNECT: undici used to reconnect without end, until the request was aborted.
    const controller = new AbortController();
    const looping = new Error("undici kept reconnecting to the proxy");
    const proxy = await brokenProxy(answer, (count) => {
      if (count === 3) controller.abort(looping);
    });
    const fetch = await proxyFetch({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
    const failure = await fetch?.("http://flashduty.invalid/event/push/alert/standard", {
      method: "POST",
      body: "{}",
      signal: controller.signal,
    }).catch((error: unknown) => error);
    expect(failure).not.toBe(looping);
    expect(failure).toBeInstanceOf(TypeError);
    expect(String((failure as TypeError).cause)).toMatch(
      /the proxy dropped the connection before the request/,
    );
    expect(proxy.connects()).toBeLessThanOrEqual(2);
  });

  it("each request may connect again: a proxy that recovers is used", async () => {
    let broken = true;
    const proxy = await brokenProxy(
      (socket) => {
        if (broken) socket.destroy();
        else socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      },
      () => {},
    );
    const fetch = await proxyFetch({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
    const send = () =>
      fetch?.("http://flashduty.invalid/", { method: "POST", body: "{}" }).catch((error: unknown) => error);
    expect(String(((await send()) as TypeError).cause)).toMatch(/dropped the connection/);
    broken = false;
    // The proxy's own refusal now: the budget refused nothing the second request was granted.
    expect(String(((await send()) as TypeError).cause)).toMatch(/the proxy answered HTTP 502/);
  });
});
