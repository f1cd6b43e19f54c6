// A clock for a spawned `flash-call` under test (node --import this-file), so that no outcome of the CLI fault
// matrix depends on how fast a loaded machine runs. Configured by FLASH_CALL_TEST_CLOCK, a JSON object:
//
//   timeoutMs  the --timeout the test passes. Those attempt timers never fire by themselves (an answer may take as
//              long as it likes), except for an attempt whose answer carries `x-flash-call-test: no-answer`: that
//              answer is dropped, as if it never came, and the attempt's timer fires (the attempt times out).
//   waitMs     the retry-after-ms of the test's lead-in answers. Those waits end together once `wave` of them are
//              waiting (every event of the batch got its lead-in), so the events retry in step, whatever the load.
//   wave       how many events retry together (1 for one push, the batch size for a batch).
//   drainedFile  optional: a file created when the event loop drains by itself ('beforeExit'), which a process
//              ended by process.exit() (the bin's 2 s fallback for stray handles) never reaches.
//
// Timers of any other length run as usual. The SDK sets an attempt's timer and calls fetch in one synchronous
// step, so the timer set last before a fetch call is that attempt's.
import { writeFileSync } from "node:fs";

const config = JSON.parse(process.env.FLASH_CALL_TEST_CLOCK ?? "null");
if (typeof config?.drainedFile === "string") {
  process.once("beforeExit", () => writeFileSync(config.drainedFile, ""));
}
if (config !== null) {
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const realFetch = globalThis.fetch;
  const held = new Map();
  let lastAttemptTimer;

  const holdTimer = (kind, callback, values) => {
    const handle = {
      kind,
      ref: () => handle,
      unref: () => handle,
      hasRef: () => false,
      refresh: () => handle,
      [Symbol.toPrimitive]: () => -1,
    };
    held.set(handle, () => callback(...values));
    return handle;
  };
  const fire = (handle) => {
    const callback = held.get(handle);
    if (callback === undefined) return;
    held.delete(handle);
    callback();
  };
  const releaseWaveIfComplete = () => {
    const waits = [...held.keys()].filter((handle) => handle.kind === "wait");
    if (waits.length >= config.wave) for (const handle of waits) fire(handle);
  };

  globalThis.setTimeout = (callback, delay, ...values) => {
    if (delay === config.timeoutMs) {
      lastAttemptTimer = holdTimer("attempt", callback, values);
      return lastAttemptTimer;
    }
    if (delay === config.waitMs) {
      const handle = holdTimer("wait", callback, values);
      queueMicrotask(releaseWaveIfComplete);
      return handle;
    }
    return realSetTimeout(callback, delay, ...values);
  };
  globalThis.clearTimeout = (handle) => {
    if (held.delete(handle)) return;
    realClearTimeout(handle);
  };
  globalThis.fetch = async (input, init) => {
    const attemptTimer = lastAttemptTimer;
    lastAttemptTimer = undefined;
    const response = await realFetch(input, init);
    if (response.headers.get("x-flash-call-test") !== "no-answer") return response;
    await response.body?.cancel();
    const signal = init?.signal;
    return new Promise((_, reject) => {
      const abort = () =>
        reject(signal?.reason ?? new DOMException("The operation was aborted.", "AbortError"));
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      if (attemptTimer !== undefined) fire(attemptTimer);
    });
  };
}
