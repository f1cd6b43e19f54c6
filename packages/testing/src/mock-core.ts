import { type AlertEvent, CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { ALERT_EVENT_SCHEMA } from "@flash-call/core/schema";
import { cutText, maskKey } from "@flash-call/errors";
import { generateAlertKey, randomAlertKey } from "./alert-key.js";
import { type AlertRecord, recordAlertEvent } from "./alert-store.js";
import {
  type AcceptedChange,
  type ChangeListener,
  type ChangeRecord,
  createChangeStore,
  type ReceivedChange,
} from "./change-store.js";
import { ERROR_MESSAGES, isErrorCode } from "./error-messages.js";
import { applyEventRules } from "./event-rules.js";
import { type Fault, FaultQueue, type NormalizedFault, normalizeFault } from "./fault.js";
import { maskTexts } from "./masked-texts.js";
import type { MockOptions } from "./options.js";
import { newRequestId } from "./random.js";
import { RateLimiter } from "./rate-limiter.js";
import type { EventAdjustment, ReceivedEvent, RecordedRequest } from "./received-event.js";
import { forgetFromGroup, type RecordLimits, RecordLog, recordLimitsOf } from "./record-limit.js";
import { maskKeysIn, unservedPath } from "./recorded-text.js";
import {
  errorResponse,
  htmlResponse,
  partialSuccessResponse,
  successResponse,
  truncatedResponse,
} from "./responses.js";
import { type SchemaIssue, validateAgainstSchema } from "./schema-validation.js";
import { renderTitle } from "./title-rule.js";

/**
 * Called with each event the mock accepts (after truncation), synchronously; a throwing listener is ignored.
 * @example server.onEvent((event) => console.log(event.alert_key, event.title_rule))
 */
export type EventListener = (event: ReceivedEvent) => void;

/** What both mocks (msw handlers and the HTTP server) record and let a test control. */
export interface MockRecords {
  /** Accepted events, oldest first, as stored after truncation. */
  readonly events: ReceivedEvent[];
  /** Every request answered, oldest first (never with the key). */
  readonly requests: RecordedRequest[];
  /** Alerts by `alert_key`, with their lifecycle. */
  readonly alerts: Map<string, AlertRecord>;
  /** Accepted change events, oldest first, as stored after truncation. */
  readonly changeEvents: ReceivedChange[];
  /** Changes by `change_key`: each with its events in order and its last status. */
  readonly changes: Map<string, ChangeRecord>;
  /** Calls `listener` with each accepted change event; returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Queues faults: each following request takes the next one. */
  failNext(faults: Fault | readonly Fault[]): void;
  /** Forgets events, requests, alerts, queued faults and rate-limit windows. */
  reset(): void;
  /** Calls `listener` with each accepted event; returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void;
}

/** The {@link MockRecords} part of a core, as both transports expose it. */
export function recordsOf(core: MockCore): MockRecords {
  return {
    events: core.events,
    requests: core.requests,
    alerts: core.alerts,
    changeEvents: core.changeEvents,
    changes: core.changes,
    onChange: (listener) => core.onChange(listener),
    failNext: (faults) => core.failNext(faults),
    reset: () => core.reset(),
    onEvent: (listener) => core.onEvent(listener),
  };
}

/** Internal options: how a transport decides which URL paths are the push endpoint. */
export interface MockCoreOptions extends MockOptions {
  /** Whether a URL path is the push endpoint. @default path === PUSH_PATH */
  isPushPath?: (path: string) => boolean;
  /** Whether a URL path is the change endpoint. @default path === CHANGE_PUSH_PATH */
  isChangePath?: (path: string) => boolean;
}

/** One answered request as the core saw it, for observers such as the inspector. */
export interface CoreRecord {
  request: RecordedRequest;
  /** The event stored, when the request was an accepted push. */
  event?: ReceivedEvent;
  /** The change event stored, with what was truncated, when the request was an accepted change push. */
  change?: AcceptedChange;
  /** The accepted push's body exactly as it arrived (before truncation), for replay. */
  sent?: unknown;
  /** What keeping this record weighs against `maxRecordBytes`: the accepted body's length and its rendered title. */
  weight?: number;
}

/** What the core tells its observers: an answered request, or that `reset()` forgot everything. */
export type CoreNotice = { type: "request"; record: CoreRecord } | { type: "reset" };

/** The transport-independent mock: state plus one `handle` that answers like Flashduty. */
export interface MockCore extends MockRecords {
  /**
   * Answers one request the way Flashduty would. A `Response.error()` means "reset the connection". `method` is
   * the request's own when a fetch `Request` cannot carry it (`TRACE`). @default request.method
   */
  handle(request: Request, method?: string): Promise<Response>;
  /** Calls `observer` after each answered request and each reset; returns an unsubscribe function. */
  observe(observer: (notice: CoreNotice) => void): () => void;
  /**
   * Cancels pending delays (their requests get a reset) and ends stalled bodies (their connections die), so
   * nothing keeps the process alive.
   */
  dispose(): void;
  /** The most records of each kind kept (the `maxRecords` and `maxRecordBytes` options): observers keep no more. */
  readonly limits: RecordLimits;
  /**
   * Records a request the transport refused before the mock could answer it (a body over the server's limit),
   * without its body, so that a user can see why a push was refused; observers are told as of any request.
   */
  recordRefused(method: string, url: URL, status: number, message: string): void;
}

const WELL_FORMED_KEY = /^[^\s\p{Cc}]{1,256}$/u;
const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/** An answer plus what to record about it. */
interface Outcome {
  response: Response;
  code?: string;
  message?: string;
  rateLimit?: RecordedRequest["rate_limit"];
  event?: ReceivedEvent;
  change?: AcceptedChange;
  sent?: unknown;
  weight?: number;
}

/** A request's method and path as the mock records and shows them, and the masking applied to its messages. */
interface ShownRequest {
  method: string;
  path: string;
  mask: (text: string) => string;
}

/** Creates the shared implementation behind the msw handlers and the HTTP server. */
export function createMockCore(options: MockCoreOptions = {}): MockCore {
  const now = options.now ?? Date.now;
  const isPushPath = options.isPushPath ?? ((path: string) => path === PUSH_PATH);
  const isChangePath = options.isChangePath ?? ((path: string) => path === CHANGE_PUSH_PATH);
  const limits = recordLimitsOf(options);
  const changeStore = createChangeStore(limits);
  const acceptedKeys = options.integrationKeys === undefined ? undefined : new Set(options.integrationKeys);
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? {});
  const faults = new FaultQueue();
  const events: ReceivedEvent[] = [];
  const requests: RecordedRequest[] = [];
  const alerts = new Map<string, AlertRecord>();
  const eventLog = new RecordLog(events, limits, (event) => forgetFromGroup(alerts, event.alert_key, event));
  const requestLog = new RecordLog(requests, limits);
  const listeners = new Set<EventListener>();
  const observers = new Set<(notice: CoreNotice) => void>();
  const notify = (notice: CoreNotice) => {
    for (const observer of observers) {
      try {
        observer(notice);
      } catch {
        // An observer's failure must not change the answer.
      }
    }
  };
  const pendingWaits = new Set<() => void>();
  const chaos = options.chaos;
  const chaosRandom = chaos?.random ?? Math.random;
  const chaosFault = (): NormalizedFault | undefined => {
    if (!chaos || chaos.faults.length === 0 || chaosRandom() >= chaos.rate) return undefined;
    const pick = chaos.faults[Math.floor(chaosRandom() * chaos.faults.length)];
    return pick === undefined ? undefined : normalizeFault(pick);
  };

  /**
   * Waits `ms` (for ever when `undefined`), or less if one of `signals` aborts (the client gives up) or the mock is
   * disposed; true when the wait ran out.
   */
  function wait(ms: number | undefined, ...signals: AbortSignal[]): Promise<boolean> {
    return new Promise((resolve) => {
      if (signals.some((signal) => signal.aborted)) return resolve(false);
      const finish = (elapsed: boolean) => {
        clearTimeout(timer);
        for (const signal of signals) signal.removeEventListener("abort", cancel);
        pendingWaits.delete(cancel);
        resolve(elapsed);
      };
      const cancel = () => finish(false);
      const timer = ms === undefined ? undefined : setTimeout(() => finish(true), ms);
      for (const signal of signals) signal.addEventListener("abort", cancel, { once: true });
      pendingWaits.add(cancel);
    });
  }

  /** What ends a stalled body: the client giving up on it (or the mock being disposed). */
  async function stall(request: AbortSignal, reader: AbortSignal): Promise<Error> {
    await wait(undefined, request, reader);
    return new Error("the mock's stalled body ended: the client gave up on it, or the mock was closed");
  }

  function answerFault(fault: NormalizedFault, requestId: string, signal: AbortSignal): Outcome {
    switch (fault.kind) {
      case "error": {
        const retryAfter = fault.retryAfter ?? (fault.code === "RequestTooFrequently" ? 1 : undefined);
        return {
          code: fault.code,
          message: fault.message ?? documentedMessage(fault.code),
          response: errorResponse(requestId, fault.code, {
            status: fault.status,
            message: fault.message,
            headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
          }),
        };
      }
      case "status":
        return {
          response: new Response(fault.body ?? "", { status: fault.status, headers: fault.headers ?? {} }),
        };
      case "reset":
        return { response: Response.error() };
      case "html":
        return { response: htmlResponse(fault.status ?? 502) };
      case "truncated":
        return { response: truncatedResponse(requestId, randomAlertKey()) };
      case "error-in-200": {
        const code = fault.code ?? "InternalError";
        return {
          code,
          message: fault.message ?? documentedMessage(code),
          response: errorResponse(requestId, code, { status: 200, message: fault.message }),
        };
      }
      case "cut-body":
        return {
          response: partialSuccessResponse(
            requestId,
            randomAlertKey(),
            async () => new Error("the mock cut the connection mid-body"),
          ),
        };
      case "stalled-body":
        return {
          response: partialSuccessResponse(requestId, randomAlertKey(), (cancelled) =>
            stall(signal, cancelled),
          ),
        };
      case "delay":
        // Handled before the normal answer; never reaches here.
        return { response: Response.error() };
    }
  }

  async function answer(
    request: Request,
    method: string,
    url: URL,
    shown: ShownRequest,
    requestId: string,
    receivedAt: number,
  ): Promise<Outcome> {
    const fail = (code: string, message?: string, headers?: Record<string, string>): Outcome => {
      // Messages quote what the client sent (its path, method, content type): masked like the path.
      const masked = message === undefined ? undefined : shown.mask(message);
      return {
        code,
        message: masked ?? documentedMessage(code),
        response: errorResponse(requestId, code, { message: masked, headers }),
      };
    };

    const isChange = isChangePath(url.pathname);
    if (!isChange && !isPushPath(url.pathname))
      return fail("RouteNotFound", `route not found: ${method} ${shown.path}`);
    if (method !== "POST") return fail("MethodNotAllowed", `method ${method} not allowed`);
    const contentType = request.headers.get("content-type") ?? "";
    if (!JSON_CONTENT_TYPE.test(contentType)) {
      return fail(
        "InvalidContentType",
        `content type ${JSON.stringify(contentType)} not supported, use application/json`,
      );
    }
    const key = url.searchParams.get("integration_key");
    if (
      key === null ||
      !WELL_FORMED_KEY.test(key) ||
      (acceptedKeys !== undefined && !acceptedKeys.has(key))
    ) {
      // Flashduty's own words, from its documented failure example: code matching the message meets them here first.
      return fail("InvalidParameter", "integration_key is not a valid one");
    }
    if (limiter !== undefined) {
      const decision = limiter.check(key, receivedAt);
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        return {
          ...fail("RequestTooFrequently", "request too frequently", { "retry-after": String(seconds) }),
          rateLimit: { window: decision.window, limit: decision.limit },
        };
      }
    }

    const text = await request.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail("InvalidParameter", "request body is not valid JSON");
    }
    if (isChange) {
      const receipt = { request_id: requestId, received_at: receivedAt, integration: maskKey(key) };
      const accepted = changeStore.accept(body, receipt, text.length, shown.mask);
      return Array.isArray(accepted)
        ? fail("InvalidParameter", describeIssues(accepted))
        : {
            response: accepted.response,
            change: accepted.change,
            sent: maskTexts(body, shown.mask),
            weight: text.length,
          };
    }
    const checked = validateAgainstSchema(body, ALERT_EVENT_SCHEMA);
    if (checked.issues.length > 0) return fail("InvalidParameter", describeIssues(checked.issues));
    const ruled = applyEventRules(checked.value as AlertEvent, checked.adjustments);
    if (ruled.issues.length > 0) return fail("InvalidParameter", describeIssues(ruled.issues));

    // A key the client wrote into the event (curl, another language: the SDK masks it before sending) is
    // masked in everything the mock keeps, answers and shows, as in its messages.
    const event = maskTexts(ruled.event, shown.mask);
    const alertKey = event.alert_key ?? (await generateAlertKey(key, event.title_rule, event.labels));
    const adjustments: EventAdjustment[] = [...checked.adjustments, ...ruled.adjustments];
    const received: ReceivedEvent = {
      ...event,
      alert_key: alertKey,
      request_id: requestId,
      received_at: receivedAt,
      integration: maskKey(key),
      // Rendered from masked texts, and masked again: pieces of a key too short to be masked alone (labels of
      // 7 characters each) may be put back together by the title's template.
      rendered_title: maskTexts(renderTitle({ ...event, alert_key: alertKey }), shown.mask),
      adjustments,
    };
    const weight = text.length + received.rendered_title.text.length;
    recordAlertEvent(alerts, received);
    eventLog.add(received, weight);
    for (const listener of listeners) {
      try {
        listener(received);
      } catch {
        // A failing listener is the test's problem, not a reason to answer differently.
      }
    }
    return {
      response: successResponse(requestId, alertKey),
      event: received,
      sent: maskTexts(body, shown.mask),
      weight,
    };
  }

  /**
   * What the mock records and shows of a request's method and path: the keys it knows of masked (the request's
   * own integration_key, as an event's `integration` shows it, and the accepted keys, neither of which anyone
   * need have registered), and a path it does not serve masked but for the words of Flashduty's routes.
   */
  function shownRequest(method: string, url: URL): ShownRequest {
    const queryKey = url.searchParams.get("integration_key");
    const keys = queryKey === null ? [...(acceptedKeys ?? [])] : [queryKey, ...(acceptedKeys ?? [])];
    const served = isPushPath(url.pathname) || isChangePath(url.pathname);
    const mask = (text: string) => maskKeysIn(text, keys);
    return {
      method: mask(method),
      path: served ? mask(url.pathname) : unservedPath(url.pathname, keys),
      mask,
    };
  }

  /** Keeps one answered request (the latest `maxRecords`) and tells the observers. */
  function keep(record: CoreRecord): void {
    requestLog.add(record.request, record.request.message?.length ?? 0);
    notify({ type: "request", record });
  }

  async function handle(request: Request, method = request.method): Promise<Response> {
    const requestId = newRequestId();
    const receivedAt = now();
    const url = new URL(request.url);
    const shown = shownRequest(method, url);
    const record = (outcome: Outcome, fault?: NormalizedFault): Response => {
      const recorded: RecordedRequest = {
        method: shown.method,
        path: shown.path,
        status: outcome.response.status,
        ...(outcome.code === undefined ? {} : { code: outcome.code }),
        ...(outcome.message === undefined ? {} : { message: outcome.message }),
        ...(outcome.event === undefined ? {} : { alert_key: outcome.event.alert_key }),
        ...(outcome.rateLimit === undefined ? {} : { rate_limit: outcome.rateLimit }),
        request_id: requestId,
        received_at: receivedAt,
        ...(fault === undefined ? {} : { fault: fault.kind }),
      };
      keep({
        request: recorded,
        ...(outcome.event === undefined ? {} : { event: outcome.event, sent: outcome.sent }),
        ...(outcome.change === undefined ? {} : { change: outcome.change, sent: outcome.sent }),
        ...(outcome.weight === undefined ? {} : { weight: outcome.weight }),
      });
      return outcome.response;
    };

    const fault = faults.take() ?? chaosFault();
    if (fault !== undefined && fault.kind !== "delay")
      return record(answerFault(fault, requestId, request.signal), fault);
    if (fault !== undefined) {
      const elapsed = await wait(fault.ms, request.signal);
      if (!elapsed) return record({ response: Response.error() }, fault);
    }
    try {
      return record(await answer(request, method, url, shown, requestId, receivedAt), fault);
    } catch {
      const code = "InternalError";
      return record(
        { code, message: documentedMessage(code), response: errorResponse(requestId, code) },
        fault,
      );
    }
  }

  return {
    handle,
    events,
    requests,
    alerts,
    changeEvents: changeStore.events,
    changes: changeStore.changes,
    onChange: changeStore.onChange,
    failNext: (next) => faults.push(next),
    reset() {
      changeStore.clear();
      eventLog.clear();
      requestLog.clear();
      alerts.clear();
      faults.clear();
      limiter?.clear();
      notify({ type: "reset" });
    },
    observe(observer) {
      observers.add(observer);
      return () => {
        observers.delete(observer);
      };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      for (const cancel of [...pendingWaits]) cancel();
    },
    limits,
    recordRefused(method, url, status, message) {
      const shown = shownRequest(method, url);
      // No request_id: the answer came from the transport's limit, as a load balancer's would, not from Flashduty.
      keep({
        request: {
          method: shown.method,
          path: shown.path,
          status,
          message: shown.mask(message),
          request_id: "",
          received_at: now(),
        },
      });
    },
  };
}

function documentedMessage(code: string): string {
  return isErrorCode(code) ? ERROR_MESSAGES[code] : "unknown error";
}

/**
 * The most issues an answer's message lists: a body with a million bad items would otherwise be answered, recorded
 * and shown in the inspector with a message as long as itself.
 */
const ISSUES_LISTED = 20;

/**
 * The most characters of one issue an answer quotes: an issue quotes what was sent (a label's name, a status), and
 * a 4 MiB label name would otherwise be answered, recorded in `requests` and shown in the inspector whole.
 */
const ISSUE_CHARS = 200;

function describeIssues(issues: readonly SchemaIssue[]): string {
  const listed = issues
    .slice(0, ISSUES_LISTED)
    .map((issue) => cutText(`${issue.path} ${issue.message}`, ISSUE_CHARS));
  const more = issues.length > ISSUES_LISTED ? `; and ${issues.length - ISSUES_LISTED} more` : "";
  return `invalid parameter: ${listed.join("; ")}${more}`;
}
