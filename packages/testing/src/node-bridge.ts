import type { IncomingMessage, ServerResponse } from "node:http";

/** Turns a Node request into a fetch `Request`; its signal aborts when the client goes away first. */
export async function toFetchRequest(
  incoming: IncomingMessage,
  origin: string,
  signal: AbortSignal,
): Promise<Request> {
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  const method = incoming.method ?? "GET";
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

/**
 * Writes a fetch `Response` to a Node response, framed with a Content-Length. `Response.error()` destroys the
 * socket instead: the client sees a connection reset, not an answer.
 */
export async function sendFetchResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  if (response.type === "error") {
    outgoing.socket?.destroy();
    outgoing.destroy();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (outgoing.destroyed) return;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // Flashduty frames its small JSON answers with a Content-Length, as Go's net/http does for a body it holds whole;
  // the mock answers the same way rather than chunked.
  if (headers["transfer-encoding"] === undefined && response.status !== 204 && response.status !== 304) {
    headers["content-length"] ??= String(body.length);
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}
