import { DEFAULT_BASE_URL, PUSH_PATH } from "@flash-call/core";
import { type HttpHandler, http } from "msw";
import { createMockCore, type MockRecords, recordsOf } from "./mock-core.js";
import type { MockOptions } from "./options.js";

/** Options of {@link createMockFlashduty}. */
export interface MockFlashdutyOptions extends MockOptions {
  /**
   * The origin (and optional path prefix) the handlers answer for; `"*"` answers the push path on any origin.
   * With a concrete base URL every other path under it gets 404 `RouteNotFound`, as Flashduty answers.
   * @default DEFAULT_BASE_URL ("https://api.flashcat.cloud")
   * @example "http://flashduty.test"
   */
  baseUrl?: string;
}

/** An in-process mock Flashduty for msw. */
export interface MockFlashduty extends MockRecords {
  /** msw request handlers: pass them to `setupServer(...)` or `server.use(...)`. */
  readonly handlers: HttpHandler[];
  /**
   * Answers one fetch `Request` like Flashduty, without msw: usable as a `fetch` replacement.
   * A connection reset comes back as `Response.error()`.
   */
  handle(request: Request): Promise<Response>;
}

/**
 * Creates msw handlers that behave like Flashduty's push API: validation against the spec's schema, the
 * documented error codes, truncation, generated `alert_key`s, alert lifecycle, per-key rate limits and faults.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * const mock = createMockFlashduty();
 * const server = setupServer(...mock.handlers);
 * server.listen();
 * // ... push with any client to https://api.flashcat.cloud ...
 * expect(mock.events).toHaveLength(1);
 * ```
 */
export function createMockFlashduty(options: MockFlashdutyOptions = {}): MockFlashduty {
  const { baseUrl = DEFAULT_BASE_URL, ...mockOptions } = options;
  const anyOrigin = baseUrl === "*";
  const prefix = anyOrigin ? "" : new URL(baseUrl).pathname.replace(/\/+$/, "");
  const pushPath = `${prefix}${PUSH_PATH}`;
  const core = createMockCore({
    ...mockOptions,
    isPushPath: anyOrigin ? (path) => path.endsWith(PUSH_PATH) : (path) => path === pushPath,
  });
  const resolver = ({ request }: { request: Request }) => core.handle(request);
  const base = baseUrl.replace(/\/+$/, "");
  const handlers = anyOrigin
    ? [http.all(`*${PUSH_PATH}`, resolver)]
    : [http.all(`${base}${PUSH_PATH}`, resolver), http.all(`${base}/*`, resolver)];

  return {
    handlers,
    ...recordsOf(core),
    handle: (request) => core.handle(request),
  };
}
