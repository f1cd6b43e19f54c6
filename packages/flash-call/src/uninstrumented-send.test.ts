import { startMockServer } from "@flash-call/testing";
import { type Context, type ContextManager, context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { AsyncContextManager } from "../../../test-support/async-context-manager.js";
import { createFlashCall } from "./flash-call.js";

let mock: Awaited<ReturnType<typeof startMockServer>>;
beforeAll(async () => {
  mock = await startMockServer({ rateLimit: false });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  trace.disable();
  context.disable();
});

const EVENT = { title_rule: "disk full on db-1", event_status: "Critical", alert_key: "disk-db-1" } as const;

/**
 * A fetch that does what OpenTelemetry's fetch and HTTP instrumentations do: start a CLIENT span, with the URL as
 * sent, under the context active when the request is made; then the real request.
 */
function instrumentedFetch(): { fetch: typeof fetch; spans: InMemorySpanExporter } {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer("fetch-instrumentation");
  const instrumented: typeof fetch = async (input, init) => {
    const span = tracer.startSpan("POST", { kind: 2, attributes: { "url.full": String(input) } });
    try {
      return await fetch(input, init);
    } finally {
      span.end();
    }
  };
  return { fetch: instrumented, spans };
}

/** An instance whose fetch counts the requests it makes, each sent for real. */
function countingRequests() {
  let requests = 0;
  const flashduty = createFlashCall({
    pushUrl: mock.pushUrl,
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
    maxRetries: 0,
    logLevel: "silent",
  });
  return { flashduty, requests: () => requests };
}

describe("an attempt is sent where OpenTelemetry's instrumentations do not trace it", () => {
  test("with a context manager registered, a fetch instrumentation records no span, and so not the key", async () => {
    context.setGlobalContextManager(new AsyncContextManager());
    const { fetch: instrumented, spans } = instrumentedFetch();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      fetch: instrumented,
      telemetry: false,
      maxRetries: 0,
      logLevel: "silent",
    });
    await flashduty.push(EVENT);
    expect(mock.events).toHaveLength(1);
    expect(spans.getFinishedSpans()).toEqual([]);
    // The suppression is the push's own: the application's requests around it are traced as before.
    await instrumented(`${mock.url}/`).then((answer) => answer.body?.cancel());
    expect(spans.getFinishedSpans()).toHaveLength(1);
  });

  test("without a context manager, the push is sent as it is (and an instrumentation sees it)", async () => {
    const { fetch: instrumented, spans } = instrumentedFetch();
    const flashduty = createFlashCall({
      pushUrl: mock.pushUrl,
      fetch: instrumented,
      telemetry: false,
      maxRetries: 0,
      logLevel: "silent",
    });
    await flashduty.push(EVENT);
    expect(spans.getFinishedSpans()).toHaveLength(1);
  });

  test("a context manager that throws costs the push nothing: it is sent once", async () => {
    const broken = new AsyncContextManager();
    broken.with = () => {
      throw new Error("context manager trap");
    };
    context.setGlobalContextManager(broken);
    const { flashduty, requests } = countingRequests();
    mock.reset();
    await flashduty.push(EVENT);
    expect(requests()).toBe(1);
    expect(mock.events).toHaveLength(1);
  });
});

describe("a context manager that does not run its function once, at once, costs the push nothing", () => {
  test.each([
    [
      "calls it twice",
      (run: () => void) => {
        run();
        run();
      },
    ],
    ["calls it after returning", (run: () => void) => queueMicrotask(run)],
    [
      "calls it, then throws",
      (run: () => void) => {
        run();
        throw new Error("context manager trap");
      },
    ],
  ])("a `with` that %s: the attempt is sent once", async (_name, callWith) => {
    const odd = new AsyncContextManager();
    const called = new Promise<void>((resolve) => {
      odd.with = ((_context: unknown, run: () => void) => {
        callWith(() => {
          run();
          resolve();
        });
      }) as never;
    });
    context.setGlobalContextManager(odd);
    const { flashduty, requests } = countingRequests();
    mock.reset();
    await flashduty.push(EVENT);
    // Whatever `with` does after the push settled has happened by now (a fetch is counted when it is called).
    await called;
    expect(requests()).toBe(1);
    expect(mock.events).toHaveLength(1);
  });
});

/** A context manager as the browser's StackContextManager is: the context is active only while `with` runs. */
class StackContextManager implements ContextManager {
  #current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.#current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#current;
    this.#current = active;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#current = previous;
    }
  }
  bind<T>(_active: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

test("under a stack-based context manager the push is delivered, its request not traced, the context restored", async () => {
  const manager = new StackContextManager();
  context.setGlobalContextManager(manager);
  const { fetch: instrumented, spans } = instrumentedFetch();
  const flashduty = createFlashCall({
    pushUrl: mock.pushUrl,
    fetch: instrumented,
    telemetry: false,
    maxRetries: 0,
    logLevel: "silent",
  });
  mock.reset();
  await flashduty.push(EVENT);
  expect(mock.events).toHaveLength(1);
  // The request is made as `with` runs (fetch is called before sendOnce's first await): nothing traced it.
  expect(spans.getFinishedSpans()).toEqual([]);
  expect(manager.active()).toBe(ROOT_CONTEXT);
});
