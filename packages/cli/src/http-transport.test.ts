import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from "node:net";
import { afterEach, expect, test } from "vitest";
import { MAX_INTERIM_ANSWERS } from "./http-response-head.js";
import { httpTransport } from "./http-transport.js";

let server: Server | undefined;
let tcpServer: TcpServer | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  tcpServer?.close();
  tcpServer = undefined;
});

/** A TCP server on 127.0.0.1 that writes `answer(socket)`'s bytes once a request's head has come; resolves with its URL. */
async function serveRaw(answer: (socket: Socket) => void): Promise<string> {
  tcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let head = "";
    const onData = (bytes: Buffer) => {
      head += bytes.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      answer(socket);
    };
    socket.on("data", onData);
  });
  tcpServer.listen(0, "127.0.0.1");
  await once(tcpServer, "listening");
  return `http://127.0.0.1:${(tcpServer.address() as AddressInfo).port}/`;
}

/** A real server on 127.0.0.1 that answers every request with `answer`; resolves with its URL. */
async function serve(answer: (response: ServerResponse) => void): Promise<string> {
  server = createServer((request, response) => {
    request.resume();
    answer(response);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const post = (url: string) => httpTransport()(url, { method: "POST", body: "{}" });

async function chunksOf(response: Response): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    chunks.push(Buffer.from(chunk).toString());
  return chunks;
}

test("the body is read chunk by chunk, to its end", async () => {
  const url = await serve((response) => {
    response.write("first,");
    setImmediate(() => response.end("second"));
  });
  const response = await post(url);
  expect(response.status).toBe(200);
  expect((await chunksOf(response)).join("")).toBe("first,second");
});

test("a body cut off by the server rejects the read, as Node's fetch body does", async () => {
  const url = await serve((response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("only part of it");
    setImmediate(() => response.socket?.destroy());
  });
  const response = await post(url);
  await expect(chunksOf(response)).rejects.toThrow();
});

test("leaving the loop early destroys the response, and its socket with it", async () => {
  let open: ServerResponse | undefined;
  const url = await serve((response) => {
    open = response;
    response.write("a chunk of an endless body");
  });
  const response = await post(url);
  for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>) break;
  await once(open?.socket ?? (open as ServerResponse), "close");
});

test("an abort while the body is being read rejects the read with the signal's reason", async () => {
  const url = await serve((response) => response.write("a body that never ends"));
  const controller = new AbortController();
  const response = await httpTransport()(url, { method: "POST", body: "{}", signal: controller.signal });
  const reading = chunksOf(response);
  controller.abort(new Error("stopped by the caller"));
  await expect(reading).rejects.toThrow("stopped by the caller");
});

test.each([
  [
    "101 Switching Protocols",
    () => "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n",
  ],
  [
    `more than ${MAX_INTERIM_ANSWERS} interim answers`,
    () => "HTTP/1.1 102 Processing\r\n\r\n".repeat(MAX_INTERIM_ANSWERS + 1),
  ],
])("%s is refused at once as fetch failed, not left waiting for the timeout", async (_, answer) => {
  // The server keeps the connection open: only the transport's refusal can settle the request.
  const url = await serveRaw((socket) => socket.write(answer()));
  const failure = await post(url).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(TypeError);
  expect((failure as TypeError).message).toBe("fetch failed");
  expect(String((failure as TypeError).cause)).toMatch(/malformed HTTP response/);
});

test("a few interim answers are skipped; the real answer follows", async () => {
  const url = await serveRaw((socket) =>
    socket.end(
      `${"HTTP/1.1 103 Early Hints\r\n\r\n".repeat(MAX_INTERIM_ANSWERS)}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok`,
    ),
  );
  const response = await post(url);
  expect(response.status).toBe(200);
  expect((await chunksOf(response)).join("")).toBe("ok");
});
