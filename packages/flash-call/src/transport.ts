import { type AlertEvent, type ChangeEvent, PUSH_PATH, type PushSuccess, type paths } from "@flash-call/core";
import {
  ERROR_BODY_LIMIT_BYTES,
  errorFromResponse,
  FlashdutyAbortError,
  FlashdutyConfigError,
  FlashdutyError,
  FlashdutyNetworkError,
  FlashdutyTimeoutError,
  readBodyText,
  redact,
  SUCCESS_BODY_LIMIT_BYTES,
  sanitizeParsedJson,
} from "@flash-call/errors";
import { MAX_TIMER_MS } from "./sleep.js";

/** The outcome of one HTTP attempt. */
export type AttemptResult<Body = PushSuccess> =
  | { ok: true; body: Body; status: number }
  | { ok: false; error: FlashdutyError; status: number | undefined };

/** The push operation's query, as the spec types it (`integration_key` plus whatever a push URL carried). */
export type PushQuery = NonNullable<paths[typeof PUSH_PATH]["post"]["parameters"]["query"]>;
/** The push operation's JSON body, as the spec types it. */
type PushBody = NonNullable<paths[typeof PUSH_PATH]["post"]["requestBody"]>["content"]["application/json"];

const parse = (text: string): unknown => {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

// Optional chaining makes any non-object body (text, a number, null) fail the test. An alert's answer carries its
// alert_key; a change's documents no `data`, so a request_id and no error is its acceptance.
const isSuccess = (body: unknown, path: string): boolean => {
  const candidate = body as (Partial<PushSuccess> & { error?: unknown }) | null | undefined;
  return (
    candidate?.error === undefined &&
    typeof (path === PUSH_PATH ? candidate?.data?.alert_key : candidate?.request_id) === "string"
  );
};

/** What one attempt sends, where, and for how long. */
export interface SendRequest {
  /** The user's fetch; `undefined` looks `globalThis.fetch` up at this call. */
  fetch: typeof fetch | undefined;
  /** The API origin (and path prefix), without a trailing slash. */
  baseUrl: string;
  /** The prepared event: the request body. */
  event: AlertEvent | ChangeEvent;
  /** The endpoint's path: the change endpoint for a change event. @default PUSH_PATH */
  path?: string;
  /** The query string's fields: `integration_key` and whatever the push URL carried. */
  query: PushQuery & Record<string, string>;
  /** Milliseconds the attempt may take, response body included. */
  timeoutMs: number;
  /** The caller's signal: its abort cancels the request. */
  signal: AbortSignal | undefined;
}

/**
 * Sends one event once, with fetch itself: the request is typed by the generated `paths` (path, query, body), but
 * not built through openapi-fetch, whose request building and middleware cost 2.6 kB of every bundle and ~10% of a
 * local round trip (`pnpm bench`), and which the SDK, with no middleware, does not need. `globalThis.fetch` is
 * looked up per call (msw and late polyfills); a user's fetch gets `(url, init)`, as core's client gives it.
 * Never throws: every failure (HTTP error, unreadable body, reset, timeout, abort, whatever a custom fetch throws)
 * comes back as a typed error, with nothing from the URL (which holds the key) in it; the timeout and the caller's
 * signal end the attempt even when a custom fetch, or the body it answers with, ignores the abort.
 *
 * Every answer is untrusted: redirects are not followed (a 3xx is a `Redirected` failure: fetch would resend the
 * push as a GET without the event, to wherever the server points, and a 2xx from there is no delivery); at most
 * `SUCCESS_BODY_LIMIT_BYTES` / `ERROR_BODY_LIMIT_BYTES` of a body are read; and a success body is redacted
 * before it is returned, so a server echoing the key hands it to no result, hook or log.
 *
 * @example
 * ```ts
 * const result = await sendOnce({ fetch: undefined, baseUrl, event, query: { integration_key: key }, timeoutMs: 10_000, signal: undefined });
 * if (!result.ok) throw result.error;
 * ```
 */
export async function sendOnce<Body = PushSuccess>(request: SendRequest): Promise<AttemptResult<Body>> {
  const { fetch: customFetch, baseUrl, event, query, timeoutMs, signal, path = PUSH_PATH } = request;
  // Aborted already: nothing is sent, and the error says so (one aborted later may have arrived).
  if (signal?.aborted) {
    return {
      ok: false,
      error: new FlashdutyAbortError(undefined, { cause: signal.reason }),
      status: undefined,
    };
  }
  // One controller aborts the request when the caller's signal does or the time is up; the timer and the listener
  // are removed afterwards. Not AbortSignal.timeout: with fetch it costs ~60 µs per request in Node 20, an eighth of
  // a local round trip. Not AbortSignal.any: it leaks when a long-lived signal (a shutdown signal passed to every
  // push) is combined per request. Not one timer shared by all attempts: a runtime may cancel it behind our back
  // (workerd at the end of a request, a test's fake timers), and every later timeout would silently never fire.
  const controller = new AbortController();
  let timedOut = false;
  const fetchFunction = customFetch ?? globalThis.fetch;
  // Rejects when the attempt's time is up or the caller aborts. The request and the body read are raced against
  // it: a custom fetch (or a Response it built) that ignores its signal must not hold the attempt past its timeout.
  // The runtime's own fetch ends both at the abort, so its requests, most of them, pay for no race.
  let stop: (reason?: unknown) => void = noop;
  let stopped: Promise<never> | undefined;
  if (fetchFunction !== RUNTIME_FETCH) {
    stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    // Observed by a race only while one runs: an attempt that ends first must not leave an unhandled rejection.
    stopped.catch(noop);
  }
  // A timeout over setTimeout's limit would fire at once: ~24.8 days is as good as none.
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
      stop();
    },
    Math.min(timeoutMs, MAX_TIMER_MS),
  );
  // Built only for a caller's signal: most pushes have none.
  const onAbort =
    signal === undefined
      ? undefined
      : () => {
          controller.abort(signal.reason);
          stop();
        };
  if (onAbort !== undefined) signal?.addEventListener("abort", onAbort, { once: true });
  let status: number | undefined;
  // Set once the answer's body is being read: a failure from then on is an answer (of `status`) cut short, not no
  // answer.
  let answered: Response | undefined;
  let pending: Promise<Response> | undefined;
  try {
    const body: PushBody | ChangeEvent = event;
    let url: string;
    try {
      url = `${baseUrl}${path}?${encodeQuery(query)}`;
    } catch {
      // encodeURIComponent throws URIError on a lone surrogate: that is a bad key or query, not a network fault.
      return {
        ok: false,
        error: new FlashdutyConfigError(
          "The integration key or a query value holds a lone surrogate and cannot be sent.",
        ),
        status,
      };
    }
    pending = fetchFunction(url, {
      method: "POST",
      // A fresh object per request: a custom fetch may change what it is given.
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      // Never followed: see above. Browsers then answer with an opaque redirect (type "opaqueredirect", status 0).
      redirect: "manual",
      signal: controller.signal,
    });
    const response = await (stopped === undefined ? pending : Promise.race([pending, stopped]));
    status = response.status;
    // A custom fetch may follow redirects anyway: then the answer is from wherever it ended (`url`), not a delivery.
    const followed = response.redirected === true;
    if (followed || response.type === "opaqueredirect" || (status >= 300 && status <= 399)) {
      releaseBody(response);
      const headers = followed ? { location: response.url } : response.headers;
      return {
        ok: false,
        error: errorFromResponse(status, undefined, headers, { redirected: true }),
        status,
      };
    }
    if (status < 200 || status > 599) {
      // No HTTP server answers a request with such a status (RFC 9110 §15: 100–599, and 1xx only before the
      // answer): a broken proxy or something else is there, and the push may not have landed. A network failure,
      // then (thrown to the catch below, which returns it as it is), retried and spooled, not an API error. A
      // custom fetch's status may be a string: the error's is a number.
      releaseBody(response);
      throw new FlashdutyNetworkError(`Flashduty answered HTTP ${status} (no valid status)`, {
        status: +status,
      });
    }
    const limit = response.ok ? SUCCESS_BODY_LIMIT_BYTES : ERROR_BODY_LIMIT_BYTES;
    answered = response;
    // Raced, the body is read with the attempt's signal: a body given up on is cancelled, not left to its source.
    const reading = readBodyText(response, limit, stopped === undefined ? undefined : controller.signal);
    const { text, cut } = await (stopped === undefined ? reading : Promise.race([reading, stopped]));
    const answer = cut ? text : parse(text);
    if (response.ok && !cut) {
      const safe = sanitizeParsedJson(answer, text);
      // The path decides the shape checked: an alert's PushSuccess, or a change's ChangePushSuccess.
      if (isSuccess(safe, path)) return { ok: true, body: safe as Body, status };
    }
    const facts = cut ? { bodyCutAtBytes: limit } : {};
    return { ok: false, error: errorFromResponse(status, answer, response.headers, facts), status };
  } catch (thrown) {
    // A request that answers after the attempt gave up on it: its body is not read, so it is released.
    // A custom fetch may have returned anything, a promise or not.
    if (timedOut || signal?.aborted) {
      Promise.resolve(pending).then(releaseBody, noop);
    }
    if (signal?.aborted)
      return {
        ok: false,
        // Mid-attempt: the request may have left, and been received, whatever came back.
        error: new FlashdutyAbortError(undefined, { cause: signal.reason, sent: true }),
        status,
      };
    if (timedOut) {
      return { ok: false, error: new FlashdutyTimeoutError(undefined, { timeoutMs }), status };
    }
    // An error answer cut short is judged by its status and headers, as a whole one is: a 4xx is not retried, a
    // 429's Retry-After is honoured. Only a success cut short is a network failure: the push may not have landed.
    const answeredWith = answered === undefined ? undefined : status;
    if (answeredWith !== undefined && (answeredWith < 200 || answeredWith > 299)) {
      return { ok: false, error: errorFromResponse(answeredWith, undefined, headersOf(answered)), status };
    }
    return { ok: false, error: failureOf(thrown, answeredWith), status };
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}

const noop = () => {};

/**
 * Lets go of the body of an answer that will not be read, however the fetch gave it: a stream's `cancel()` (the
 * runtime's fetch), a Node stream's `destroy()` (node-fetch, whose body has no `cancel`), or nothing. Never throws
 * and never rejects: a body that cannot be released changes nothing about the answer already had.
 */
function releaseBody(response: unknown): void {
  try {
    const body = (response as { body?: { cancel?(): Promise<void>; destroy?(): unknown } | null } | undefined)
      ?.body;
    // A cancel that returns no promise throws here, and is caught below.
    if (body?.cancel) body.cancel().catch(noop);
    else body?.destroy?.();
  } catch {
    // A getter or a cancel that throws: there is nothing more to release.
  }
}

/** A response's headers, or none when a custom fetch's response has a getter that throws: sendOnce never throws. */
function headersOf(response: Response | undefined): Headers | undefined {
  try {
    return response?.headers;
  } catch {
    return undefined;
  }
}

/**
 * The runtime's fetch as it was when this module loaded: Node's, Bun's, Deno's, a browser's or a Worker's, which
 * end a request and its body when its signal aborts. A fetch set on `globalThis` later (msw, a polyfill) is not
 * trusted to, and is raced against the attempt's timer like a custom one.
 */
const RUNTIME_FETCH: typeof fetch | undefined = typeof fetch === "function" ? fetch : undefined;

/**
 * The typed error for what a request threw: a FlashdutyError as it is, anything else a network error. A custom fetch
 * may throw anything (null, a string, an object whose `message` getter or a Proxy trap throws): nothing of it is
 * trusted, and runtime errors may quote the request URL, and with it the key, so only a scrubbed description of its
 * message and its cause's code or message is kept. With `answeredWith`, the failure came while the body of an answer
 * with that status was read: Flashduty was reached, and the error says the answer was cut short, with its status.
 */
function failureOf(thrown: unknown, answeredWith: number | undefined): FlashdutyError {
  let detail = "";
  try {
    if (FlashdutyError.isInstance(thrown)) return thrown;
    const cause = thrown as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
    detail = [cause?.message, cause?.cause?.code ?? cause?.cause?.message]
      .filter((part) => typeof part === "string" && part !== "")
      .map((part) => redact(String(part)))
      .join(": ");
  } catch {}
  const reason =
    answeredWith === undefined
      ? "Could not reach Flashduty"
      : `Flashduty's answer (HTTP ${answeredWith}) was cut short`;
  // The cause is kept for the caller to inspect (its system error code): FlashdutyError keeps it sanitized, every
  // string in it redacted, as the message is.
  return new FlashdutyNetworkError(detail ? `${reason}: ${detail}` : reason, {
    status: answeredWith,
    cause: thrown,
  });
}

/** Each query object's encoding: a delivery sends the same (frozen) query object on every push to its target. */
const encodedQueries = new WeakMap<object, string>();

/** `a=1&b=2`, each part percent-encoded the way the secret registry masks an encoded key (encodeURIComponent). */
function encodeQuery(query: Record<string, string>): string {
  // Only frozen queries are kept, so one found was frozen.
  let encoded = encodedQueries.get(query);
  if (encoded !== undefined) return encoded;
  encoded = encodeEntries(query);
  if (Object.isFrozen(query)) encodedQueries.set(query, encoded);
  return encoded;
}

function encodeEntries(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}
