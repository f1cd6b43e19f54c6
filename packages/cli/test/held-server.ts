import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One push the server received: its path, query and parsed JSON body. */
export interface HeldRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: { alert_key?: string; event_status?: string; title_rule?: string } & Record<string, unknown>;
}

/** How the server answers a request: a status, body and headers, or `"hold"` (never answer). */
export type HeldAnswer = "hold" | { status: number; body?: string; headers?: Record<string, string> };

/** A Flashduty stand-in on 127.0.0.1 whose answers a test decides, and which tells when a request arrives. */
export interface HeldServer {
  /** The base URL (`http://127.0.0.1:<port>`). */
  url: string;
  /** A push URL on this server with `key`. */
  pushUrl(key: string): string;
  /** Every request received, in arrival order. */
  requests: HeldRequest[];
  /** Resolves once `count` requests have arrived (their bodies read); never by a timer. */
  waitForRequests(count: number): Promise<void>;
  /** Sets how later requests are answered, and answers the held ones that way. */
  answer(how: HeldAnswer | ((request: HeldRequest) => HeldAnswer)): void;
  close(): Promise<void>;
}

/** Flashduty's success answer for an event. */
export function accepted(request: HeldRequest): HeldAnswer {
  return {
    status: 200,
    body: JSON.stringify({
      request_id: `req-${request.body.alert_key ?? "none"}`,
      data: { alert_key: request.body.alert_key ?? "generated" },
    }),
    headers: { "content-type": "application/json" },
  };
}

/**
 * Starts a real node:http server that holds every request (answers nothing) until {@link HeldServer.answer}
 * says otherwise: a Flashduty that hangs, for signal tests, and a scriptable hostile one.
 *
 * @example
 * const server = await startHeldServer();
 * await server.waitForRequests(1); // the push is in flight now
 */
export async function startHeldServer(): Promise<HeldServer> {
  let how: (request: HeldRequest) => HeldAnswer = () => "hold";
  const requests: HeldRequest[] = [];
  const held: { request: HeldRequest; response: ServerResponse }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const reply = (request: HeldRequest, response: ServerResponse): boolean => {
    const answer = how(request);
    if (answer === "hold") return false;
    response.writeHead(answer.status, answer.headers ?? {});
    response.end(answer.body ?? "");
    return true;
  };
  const server = createServer(async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    let body: HeldRequest["body"] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {}
    const request = { method: incoming.method ?? "", path: url.pathname, query: url.searchParams, body };
    requests.push(request);
    for (const waiter of waiters.filter((candidate) => candidate.count <= requests.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (!reply(request, response)) held.push({ request, response });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    pushUrl: (key) => `${url}/event/push/alert/standard?integration_key=${encodeURIComponent(key)}`,
    requests,
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.push({ count, resolve });
          }),
    answer(next) {
      how = typeof next === "function" ? next : () => next;
      for (const pending of held.splice(0)) {
        if (!reply(pending.request, pending.response)) held.push(pending);
      }
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
