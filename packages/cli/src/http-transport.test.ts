import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { httpTransport } from "./http-transport.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

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
