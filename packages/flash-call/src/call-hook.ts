import type { AttemptInfo, ErrorInfo, Hooks, ResponseInfo, RetryInfo } from "./hooks.js";
import type { Log } from "./log.js";
import { MAX_TIMER_MS } from "./sleep.js";
import { kindOf } from "./untrusted-value.js";

/** What each hook is given. */
export interface HookPayloads {
  onRequest: AttemptInfo;
  onResponse: ResponseInfo;
  onRetry: RetryInfo;
  onError: ErrorInfo;
}

/** The name of a hook: `onRequest`, `onResponse`, `onRetry` or `onError`. */
export type HookName = keyof HookPayloads;

/** The hooks, typed by name so that a hook read by a generic name takes that name's payload. */
type HookTable = { readonly [Name in HookName]?: (info: HookPayloads[Name]) => unknown };

/**
 * Calls the hook `name` with its payload; a payload of another hook's shape does not compile. Never throws.
 *
 * @example
 * ```ts
 * await callHook("onRetry", { ...response, delayMs, error });
 * ```
 */
export type CallHook = <Name extends HookName>(name: Name, info: HookPayloads[Name]) => Promise<void>;

/** What calling the hooks of one push needs. */
export interface HookCallerSettings {
  /** The instance's hooks. */
  hooks: Hooks;
  log: Log;
  /** The hooks already reported for not settling in time: each is reported once per instance. */
  stuckHooks: Set<HookName>;
  /** How long a hook's promise is awaited: the attempt's timeout. */
  timeoutMs: number;
  /** The push's signal: its abort ends the wait for a hook. */
  signal: AbortSignal | undefined;
}

/**
 * The hook dispatcher of one push. A hook that throws is logged; one that returns a promise is awaited at most for
 * `timeoutMs` (or until the signal aborts), so that one that never settles cannot hold the push, nor the alert_key's
 * turn in the queue behind it; the first such hook is logged once per instance.
 *
 * @example
 * ```ts
 * const callHook = createHookCaller({ hooks, log, stuckHooks: new Set(), timeoutMs: 10_000, signal: undefined });
 * await callHook("onRequest", attemptInfo);
 * ```
 */
export function createHookCaller(settings: HookCallerSettings): CallHook {
  const { log, stuckHooks, timeoutMs, signal } = settings;
  // Hooks fits HookTable only while each hook takes its own payload: a changed hook type fails here.
  const hooks: HookTable = settings.hooks;
  return async (name, info) => {
    const hook = hooks[name];
    if (!hook) return;
    try {
      const outcome = hook(info);
      if (!isThenable(outcome)) return;
      if (await settlesWithin(outcome, timeoutMs, signal)) return;
      if (stuckHooks.has(name)) return;
      stuckHooks.add(name);
      log(
        "warn",
        `the ${name} hook had not settled after ${timeoutMs} ms (timeoutMs): not waiting for it (logged once)`,
      );
    } catch (error) {
      let message: unknown;
      try {
        message = (error as { message?: unknown } | null)?.message;
      } catch {}
      log("error", `the ${name} hook threw: ${typeof message === "string" ? message : kindOf(error)}`);
    }
  };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

/**
 * Whether `promise` settled within `ms`. An abort of `signal` during the wait also ends it, as settled: the abort is
 * what the caller reports; a signal aborted before (the onError hook of an abort) still gets the whole wait. A
 * rejection is passed on. The timer is cleared either way, so it never keeps a process alive.
 */
function settlesWithin(
  promise: PromiseLike<unknown>,
  ms: number,
  given: AbortSignal | undefined,
): Promise<boolean> {
  const signal = given?.aborted ? undefined : given;
  return new Promise<boolean>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      resolve(true);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(false);
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    const failed = (error: unknown) => {
      done();
      reject(error);
    };
    try {
      promise.then(() => {
        done();
        resolve(true);
      }, failed);
    } catch (error) {
      // A hook's own thenable whose `then` throws: its failure, and no timer left to keep the process alive.
      failed(error);
    }
  });
}
