import { CHANGE_PUSH_PATH, DEFAULT_BASE_URL, PUSH_PATH } from "@flash-call/core";
import type { HttpHandler } from "msw";
import { loadMsw } from "./load-msw.js";
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
  /**
   * msw request handlers: pass them to `setupServer(...)` or `server.use(...)`. msw is loaded when this is first
   * read, not when the package is imported, so everything else works without msw installed.
   * @throws FlashdutyConfigError when read without msw installed
   */
  readonly handlers: HttpHandler[];
  /**
   * Answers one fetch `Request` like Flashduty, without msw: usable as a `fetch` replacement.
   * A connection reset comes back as `Response.error()`.
   */
  handle(request: Request): Promise<Response>;
}

/**
 * Creates an in-process mock of Flashduty's push API: validation against the spec's schema, the documented error
 * codes, truncation, generated `alert_key`s, alert lifecycle, per-key rate limits and faults. Serve it with msw
 * (`handlers`), or without msw by passing `handle` as a fetch.
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
    isChangePath: anyOrigin
      ? (path) => path.endsWith(CHANGE_PUSH_PATH)
      : (path) => path === `${prefix}${CHANGE_PUSH_PATH}`,
  });
  const resolver = ({ request }: { request: Request }) => core.handle(request);
  const base = baseUrl.replace(/\/+$/, "");
  let handlers: HttpHandler[] | undefined;

  return {
    get handlers() {
      if (handlers === undefined) {
        const { http } = loadMsw();
        handlers = anyOrigin
          ? [http.all(`*${PUSH_PATH}`, resolver), http.all(`*${CHANGE_PUSH_PATH}`, resolver)]
          : [http.all(`${base}${PUSH_PATH}`, resolver), http.all(`${base}/*`, resolver)];
      }
      return handlers;
    },
    ...recordsOf(core),
    handle: (request) => core.handle(request),
  };
}
