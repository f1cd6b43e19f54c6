import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { maskKey, scrubUrl } from "@flash-call/errors";
import { BodyBudget, MAX_PENDING_BODY_BYTES, ServerBusy } from "./body-budget.js";
import { createInspectorFeed, INSPECTOR_STREAM_HEADERS, type InspectorFeed } from "./inspector-feed.js";
import { inspectorRefusal, isLoopbackInterface } from "./inspector-origin.js";
import { INSPECTOR_CSP, INSPECTOR_HTML } from "./inspector-page.js";
import { createMockCore, type MockRecords, recordsOf } from "./mock-core.js";
import { RequestBodyTooLarge, sendFetchResponse, toFetchRequest } from "./node-bridge.js";
import type { MockOptions } from "./options.js";
import { newIntegrationKey } from "./random.js";
import { errorResponse } from "./responses.js";

/** The inspector's event stream (server-sent events). */
const INSPECTOR_EVENTS_PATH = "/inspector/events";
/** Every accepted alert push as sent, as NDJSON (`flash-call push --file` replays it). */
const INSPECTOR_DOWNLOAD_PATH = "/inspector/events.ndjson";
/** Every accepted change push as sent, as NDJSON (`flash-call change --file` replays it). */
const INSPECTOR_CHANGES_DOWNLOAD_PATH = "/inspector/changes.ndjson";
/** POST: forgets everything received, like `reset()`. */
const INSPECTOR_CLEAR_PATH = "/inspector/clear";

/** How a body the server does not read is answered, as a load balancer would (its page is no Flashduty error body). */
const BODY_REFUSALS = {
  /** Over `MAX_REQUEST_BODY_BYTES`. */
  tooLarge: { status: 413, title: "Request Entity Too Large", headers: {} },
  /** Past the bodies still arriving that the server holds (`MAX_PENDING_BODY_BYTES`): worth a retry. */
  busy: { status: 503, title: "Service Unavailable", headers: { "retry-after": "1" } },
} as const;

/**
 * Answers a body the server does not read. The rest of it is read and dropped, never kept: closing the connection
 * while the client still sends would make it fail with EPIPE or a reset instead of seeing the answer.
 */
function refuseBody(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  refusal: (typeof BODY_REFUSALS)[keyof typeof BODY_REFUSALS],
  reason: string,
): void {
  incoming.resume();
  if (outgoing.headersSent || outgoing.destroyed) return;
  const body = `${refusal.status} ${refusal.title}: ${reason}\n`;
  outgoing.writeHead(refusal.status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...refusal.headers,
  });
  outgoing.end(body);
}

/** Options of {@link startMockServer}. */
export interface MockServerOptions extends MockOptions {
  /**
   * The port to listen on.
   * @default 0 (a free port chosen by the system)
   * @example 8787
   */
  port?: number;
  /**
   * The interface to listen on.
   * @default "127.0.0.1"
   * @example "::1"
   */
  host?: string;
  /**
   * Serve the live inspector: a web page at the server's root (`inspectorUrl`) showing every request, alert and
   * rendered title as it arrives. The push endpoint is unaffected either way.
   * @default true
   * @example false
   */
  inspector?: boolean;
}

/** A running mock Flashduty server. */
export interface MockServer extends MockRecords {
  /** The server's origin, e.g. `http://127.0.0.1:53124`. */
  readonly url: string;
  /** The base URL to give a client (same as `url`). */
  readonly baseUrl: string;
  /**
   * The live inspector's page (`url` + `/`), or `undefined` with `inspector: false`. It shows what Flashduty
   * would receive: requests and their answers, alerts with their lifecycle, titles as Flashduty renders them.
   */
  readonly inspectorUrl: string | undefined;
  /** A complete push URL with `integrationKey`, as copied from the Flashduty console. */
  readonly pushUrl: string;
  /** The change endpoint's push URL with `integrationKey`, as a change integration's page shows it. */
  readonly changePushUrl: string;
  /**
   * A key the server accepts: the first of `integrationKeys`, or a generated one. `util.inspect` (and so
   * `console.log`) of the server shows it masked, and `pushUrl` scrubbed.
   */
  readonly integrationKey: string;
  /** Stops the server, dropping open (keep-alive) connections and pending delays, so the process can exit. */
  close(): Promise<void>;
}

/**
 * Starts a mock Flashduty on a real HTTP port (127.0.0.1 by default): the same behaviour as
 * `createMockFlashduty`, for code that does not run in-process with msw (a CLI, another language, curl).
 * Does not import msw.
 *
 * @example
 * ```ts
 * const server = await startMockServer();
 * await fetch(server.pushUrl, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ title_rule: "disk full", event_status: "Critical" }),
 * });
 * console.log(server.events[0]?.alert_key);
 * await server.close();
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", inspector = true, ...mockOptions } = options;
  const integrationKey = options.integrationKeys?.[0] ?? newIntegrationKey();
  const core = createMockCore(mockOptions);
  const pendingBodies = new BodyBudget(MAX_PENDING_BODY_BYTES);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let origin = `http://${urlHost}:${port}`;
  let feed: InspectorFeed | undefined;
  let listeningPort = port;

  /** Answers the inspector's own routes; false when the request is not one of them (the mock answers it). */
  const serveInspector = (incoming: IncomingMessage, outgoing: ServerResponse): boolean => {
    if (feed === undefined) return false;
    const path = new URL(incoming.url ?? "/", origin).pathname;
    const method = incoming.method ?? "GET";
    const reading = method === "GET" || method === "HEAD";
    const route =
      reading && path === "/"
        ? "page"
        : reading && path === "/favicon.ico"
          ? "favicon"
          : reading && path === INSPECTOR_EVENTS_PATH
            ? "events"
            : reading && path === INSPECTOR_DOWNLOAD_PATH
              ? "download"
              : reading && path === INSPECTOR_CHANGES_DOWNLOAD_PATH
                ? "download-changes"
                : method === "POST" && path === INSPECTOR_CLEAR_PATH
                  ? "clear"
                  : undefined;
    if (route === undefined) return false;
    const refusal = inspectorRefusal(incoming.headers, {
      port: listeningPort,
      loopback: isLoopbackInterface(host),
      unsafe: route === "clear",
    });
    incoming.resume();
    if (refusal !== undefined) {
      outgoing.writeHead(403, {
        "content-type": "text/plain; charset=utf-8",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "cache-control": "no-store",
      });
      outgoing.end(`refused: ${refusal}\n`);
      return true;
    }
    switch (route) {
      case "page":
        outgoing.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": INSPECTOR_CSP,
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          "cache-control": "no-store",
        });
        outgoing.end(method === "HEAD" ? undefined : INSPECTOR_HTML);
        return true;
      case "favicon":
        // Browsers ask for it; answered here so that it is not recorded as a request to the mock.
        outgoing.writeHead(204);
        outgoing.end();
        return true;
      case "events":
        // A HEAD has no body to stream into: attached, it would be answered with nothing and held open for ever.
        if (method === "HEAD") {
          outgoing.writeHead(200, INSPECTOR_STREAM_HEADERS);
          outgoing.end();
        } else {
          feed.attach(outgoing);
        }
        return true;
      case "download":
      case "download-changes": {
        const changes = route === "download-changes";
        outgoing.writeHead(200, {
          "content-type": "application/x-ndjson; charset=utf-8",
          "content-disposition": `attachment; filename="flash-call-mock-${changes ? "changes" : "events"}.ndjson"`,
          "x-content-type-options": "nosniff",
          "cache-control": "no-store",
        });
        if (method === "HEAD") outgoing.end();
        else outgoing.end(changes ? feed.changesNdjson() : feed.ndjson());
        return true;
      }
      case "clear":
        core.reset();
        outgoing.writeHead(204);
        outgoing.end();
        return true;
    }
  };

  const onRequest = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (serveInspector(incoming, outgoing)) return;
    const controller = new AbortController();
    // "close" on the response before it finished means the client went away: stop waiting for it.
    outgoing.on("close", () => {
      if (!outgoing.writableFinished) controller.abort();
    });
    try {
      const request = await toFetchRequest(incoming, origin, controller.signal, pendingBodies);
      await sendFetchResponse(await core.handle(request, incoming.method), outgoing);
    } catch (error) {
      const refusal =
        error instanceof RequestBodyTooLarge
          ? BODY_REFUSALS.tooLarge
          : error instanceof ServerBusy
            ? BODY_REFUSALS.busy
            : undefined;
      if (refusal !== undefined) {
        refuseBody(incoming, outgoing, refusal, (error as Error).message);
        // Recorded without its body, so that the inspector and `requests` say why the push was refused.
        const url = URL.canParse(incoming.url ?? "/", origin)
          ? new URL(incoming.url ?? "/", origin)
          : new URL(origin);
        core.recordRefused(incoming.method ?? "POST", url, refusal.status, (error as Error).message);
        return;
      }
      if (!outgoing.headersSent && !outgoing.destroyed) {
        await sendFetchResponse(errorResponse("", "InternalError"), outgoing).catch(() => undefined);
      }
    }
  };
  const server = createServer((incoming, outgoing) => {
    void onRequest(incoming, outgoing);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  listeningPort = (server.address() as AddressInfo).port;
  origin = `http://${urlHost}:${listeningPort}`;

  let closing: Promise<void> | undefined;
  const pushUrl = `${origin}${PUSH_PATH}?integration_key=${encodeURIComponent(integrationKey)}`;
  const changePushUrl = `${origin}${CHANGE_PUSH_PATH}?integration_key=${encodeURIComponent(integrationKey)}`;
  if (inspector) {
    const maskedQuery = `?integration_key=${maskKey(integrationKey)}`;
    feed = createInspectorFeed(core, {
      pushUrlShown: `${origin}${PUSH_PATH}${maskedQuery}`,
      changePushUrlShown: `${origin}${CHANGE_PUSH_PATH}${maskedQuery}`,
    });
  }
  const records = recordsOf(core);
  const mockServer: MockServer = {
    url: origin,
    baseUrl: origin,
    inspectorUrl: inspector ? `${origin}/` : undefined,
    pushUrl,
    changePushUrl,
    integrationKey,
    ...records,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Ends the pages' event streams first, so each browser sees the stream close rather than a reset.
        feed?.close();
        core.dispose();
        server.closeAllConnections();
      });
      return closing;
    },
  };
  // A test that logs the server (console.log, util.inspect) must not print the key it hands out.
  Object.defineProperty(mockServer, inspect.custom, {
    value: () => ({
      url: origin,
      inspectorUrl: inspector ? `${origin}/` : undefined,
      pushUrl: scrubUrl(pushUrl),
      integrationKey: maskKey(integrationKey),
      events: records.events,
      requests: records.requests,
      alerts: records.alerts,
      changePushUrl: scrubUrl(changePushUrl),
      changes: records.changes,
    }),
  });
  return mockServer;
}
