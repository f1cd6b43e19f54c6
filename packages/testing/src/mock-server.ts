import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { maskKey, scrubUrl } from "@flash-call/errors";
import { createMockCore, type MockRecords, recordsOf } from "./mock-core.js";
import { sendFetchResponse, toFetchRequest } from "./node-bridge.js";
import type { MockOptions } from "./options.js";
import { newIntegrationKey } from "./random.js";
import { errorResponse } from "./responses.js";

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
}

/** A running mock Flashduty server. */
export interface MockServer extends MockRecords {
  /** The server's origin, e.g. `http://127.0.0.1:53124`. */
  readonly url: string;
  /** The base URL to give a client (same as `url`). */
  readonly baseUrl: string;
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
  const { port = 0, host = "127.0.0.1", ...mockOptions } = options;
  const integrationKey = options.integrationKeys?.[0] ?? newIntegrationKey();
  const core = createMockCore(mockOptions);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let origin = `http://${urlHost}:${port}`;

  const onRequest = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const controller = new AbortController();
    // "close" on the response before it finished means the client went away: stop waiting for it.
    outgoing.on("close", () => {
      if (!outgoing.writableFinished) controller.abort();
    });
    try {
      const request = await toFetchRequest(incoming, origin, controller.signal);
      await sendFetchResponse(await core.handle(request), outgoing);
    } catch {
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
  origin = `http://${urlHost}:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  const pushUrl = `${origin}${PUSH_PATH}?integration_key=${encodeURIComponent(integrationKey)}`;
  const changePushUrl = `${origin}${CHANGE_PUSH_PATH}?integration_key=${encodeURIComponent(integrationKey)}`;
  const records = recordsOf(core);
  const mockServer: MockServer = {
    url: origin,
    baseUrl: origin,
    pushUrl,
    changePushUrl,
    integrationKey,
    ...records,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
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
