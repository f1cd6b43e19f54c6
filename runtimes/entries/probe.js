// The runtime-neutral check every runtime runs: no imports, no Node APIs; the SDK module is passed in, imported
// by each entry the way that runtime's users would import it. Each guarantee below leans on something the runtime
// provides itself (fetch, AbortSignal, timers, streams), which is why every runtime proves each one.

/**
 * What a runtime cannot do, by guarantee name, with the reason: such a guarantee is reported as not proven (a
 * failed check naming the reason), never skipped silently. Every runtime of the matrix does them all today.
 * @type {Record<string, Record<string, string>>}
 */
const RUNTIME_LIMITS = {};

/**
 * How long one guarantee may take before the probe gives up on it and says so by name: a hang guard, far above
 * what any step needs, not a timing assertion. Below the runner's per-runtime limit, so a hang is reported as the
 * guarantee that hung rather than as a killed runtime.
 */
const GUARANTEE_GUARD_MS = 15_000;

/**
 * The pause the probe's 429 asks for, in seconds (`Retry-After` counts whole seconds): the least it can ask, as every
 * runtime waits it once.
 */
const RETRY_AFTER_SECONDS = 1;

/** How many characters of the key, anywhere in a row, count as a piece of it. */
const KEY_PIECE_LENGTH = 8;

/**
 * Proves, against the mock Flashduty over real HTTP: a push is delivered and seen by the mock; a 401 is an
 * `UnauthorizedError` without the key; invalid input is refused before sending; a held request ends with
 * `FlashdutyTimeoutError` and its connection is dropped; a caller's signal ends a push in flight with
 * `FlashdutyAbortError`; a 5xx, a 429 (after the wait its `Retry-After` asks) and a reset connection (a
 * `FlashdutyNetworkError`) are each retried once (hooks told, two attempts recorded by the mock) and delivered; a
 * body echoing the key hands no piece of it anywhere; `enqueue` then `flush()`/`close()` deliver everything with the counts; a change reaches the change
 * endpoint. Never throws: every outcome is a named check, and a check's name says which guarantee it is.
 *
 * @param {{ sdk: Record<string, any>; runtime: string; pushUrl: string; controlUrl: string }} config
 * @returns {Promise<{ ok: boolean; checks: Array<{ name: string; ok: boolean; detail?: string }> }>}
 * @example const result = await runProbe({ sdk: await import("flash-call"), runtime: "node-22", pushUrl, controlUrl });
 */
export async function runProbe({ sdk, runtime, pushUrl, controlUrl }) {
  const checks = [];
  const check = (name, ok, detail) => checks.push(detail === undefined ? { name, ok } : { name, ok, detail });
  const integrationKey = new URL(pushUrl).searchParams.get("integration_key") ?? "";
  // The gateway's own address for the same push path: a request it can hold unanswered.
  const parsedPushUrl = new URL(pushUrl);
  const gatewayPushUrl = `${new URL(controlUrl).origin}${parsedPushUrl.pathname}${parsedPushUrl.search}`;
  const control = {
    failNext: (fault) => fetch(`${controlUrl}/fail-next`, { method: "POST", body: JSON.stringify(fault) }),
    holdNext: () => fetch(`${controlUrl}/hold-next`, { method: "POST", body: "{}" }),
    held: async (until) => (await fetch(`${controlUrl}/held?until=${until}`)).json(),
    events: async (label) =>
      (await (await fetch(`${controlUrl}/events?runtime=${encodeURIComponent(label)}`)).json()).count,
    markRequests: () => fetch(`${controlUrl}/mark-requests`, { method: "POST", body: "{}" }),
    requests: async () => {
      const answer = await (await fetch(`${controlUrl}/requests`)).json();
      if (!Array.isArray(answer?.requests)) throw new Error(`/control/requests: ${JSON.stringify(answer)}`);
      return answer.requests;
    },
    changes: async (changeKey) =>
      (await (await fetch(`${controlUrl}/changes?change_key=${encodeURIComponent(changeKey)}`)).json()).count,
  };
  const base = { pushUrl, rateLimit: false, maxRetries: 0, logLevel: "silent" };
  const context = { sdk, runtime, pushUrl, gatewayPushUrl, integrationKey, control, base, check };

  for (const [name, guarantee] of GUARANTEES) {
    const limit = RUNTIME_LIMITS[runtime]?.[name];
    if (limit !== undefined) {
      check(`${name}: not proven on ${runtime}`, false, limit);
      continue;
    }
    let guard;
    const hung = new Promise((resolve) => {
      guard = setTimeout(() => resolve("hung"), GUARANTEE_GUARD_MS);
    });
    try {
      const ended = await Promise.race([guarantee(context), hung]);
      if (ended === "hung") check(`${name}: did not end within ${GUARANTEE_GUARD_MS} ms`, false);
    } catch (error) {
      check(`${name}: probe step threw`, false, describe(error));
    } finally {
      clearTimeout(guard);
    }
  }
  return { ok: checks.every((entry) => entry.ok), checks };
}

/** Each guarantee: its name (the prefix of its checks) and the steps that prove it. */
const GUARANTEES = [
  ["push", provePush],
  ["401", proveUnauthorized],
  ["validation", proveValidation],
  ["timeout", proveTimeout],
  ["abort", proveAbort],
  ["retry", proveRetry],
  ["retry-after", proveRetryAfter],
  ["reset", proveReset],
  ["key echo", proveKeyEcho],
  ["queue", proveQueue],
  ["change", proveChange],
];

async function provePush({ sdk, runtime, base, control, check }) {
  const flashCall = sdk.createFlashCall(base);
  try {
    const result = await flashCall.push({
      title_rule: `runtime matrix: ${runtime}`,
      event_status: "Warning",
      labels: { runtime },
    });
    check(
      "push: delivered",
      typeof result?.request_id === "string" && typeof result?.data?.alert_key === "string",
      JSON.stringify(result),
    );
    const count = await control.events(runtime);
    check("push: the mock received the event", count === 1, `count ${count}`);
  } catch (error) {
    check("push: delivered", false, describe(error));
  } finally {
    await flashCall.close();
  }
}

async function proveUnauthorized({ sdk, runtime, base, control, integrationKey, check }) {
  const flashCall = sdk.createFlashCall(base);
  await control.failNext("Unauthorized");
  try {
    await flashCall.push({ title_rule: `runtime matrix: ${runtime} (401)`, event_status: "Info" });
    check("401: mapped to UnauthorizedError", false, "the push resolved");
  } catch (error) {
    const mapped =
      sdk.FlashdutyError.isInstance(error) &&
      error instanceof sdk.UnauthorizedError &&
      error.code === "Unauthorized" &&
      error.status === 401 &&
      error.retryable === false;
    check("401: mapped to UnauthorizedError", mapped, describe(error));
    check("401: the error never shows the key", !leaksKey(printError(error), integrationKey));
  } finally {
    await flashCall.close();
  }
}

async function proveValidation({ sdk, base, check }) {
  const flashCall = sdk.createFlashCall(base);
  try {
    await flashCall.push({ title_rule: "", event_status: "Bogus" });
    check("validation: invalid event refused before sending", false, "the push resolved");
  } catch (error) {
    check(
      "validation: invalid event refused before sending",
      error instanceof sdk.FlashdutyValidationError,
      describe(error),
    );
  } finally {
    await flashCall.close();
  }
}

/** The gateway holds the request and never answers: only the SDK's own timer can end the push. */
async function proveTimeout({ sdk, runtime, base, gatewayPushUrl, control, check }) {
  const flashCall = sdk.createFlashCall({ ...base, pushUrl: gatewayPushUrl, timeoutMs: 300 });
  await control.holdNext();
  try {
    await flashCall.push({ title_rule: `runtime matrix: ${runtime} (held)`, event_status: "Info" });
    check("timeout: a push with no answer ends with FlashdutyTimeoutError", false, "the push resolved");
  } catch (error) {
    check(
      "timeout: a push with no answer ends with FlashdutyTimeoutError",
      sdk.FlashdutyTimeoutError.isInstance(error) && error instanceof sdk.FlashdutyTimeoutError,
      describe(error),
    );
  } finally {
    await flashCall.close();
  }
  const held = await control.held("closed");
  check(
    "timeout: the timed-out request's connection is dropped, not left open",
    held.received && held.closed,
    JSON.stringify(held),
  );
}

/** The caller aborts once the gateway has the request: the push is in flight, not waiting to start. */
async function proveAbort({ sdk, runtime, base, gatewayPushUrl, control, check }) {
  // A timeout far beyond the run's: only the abort can end this push in time.
  const flashCall = sdk.createFlashCall({ ...base, pushUrl: gatewayPushUrl, timeoutMs: 120_000 });
  const controller = new AbortController();
  await control.holdNext();
  const outcome = flashCall
    .push(
      { title_rule: `runtime matrix: ${runtime} (aborted)`, event_status: "Info" },
      { signal: controller.signal },
    )
    .then(
      (result) => ({ result }),
      (error) => ({ error }),
    );
  const arrived = await control.held("received");
  check("abort: the push reached the server before the abort", arrived.received, JSON.stringify(arrived));
  controller.abort();
  const { result, error } = await outcome;
  check(
    "abort: the caller's signal ends a push in flight with FlashdutyAbortError",
    error !== undefined &&
      sdk.FlashdutyAbortError.isInstance(error) &&
      error instanceof sdk.FlashdutyAbortError,
    error === undefined ? `the push resolved: ${JSON.stringify(result)}` : describe(error),
  );
  const held = await control.held("closed");
  check("abort: the aborted request's connection is dropped", held.closed, JSON.stringify(held));
  await flashCall.close();
}

/**
 * One push the mock fails once with `fault`, then answers normally: with `maxRetries: 1` and a 1 ms backoff (so a
 * longer wait can only be the server's), labelled `<runtime>:<guarantee>` for the mock's count, `options` over the
 * probe's. Gives what the push ended with, what `onRetry` was told, the attempts the mock recorded for it and how
 * many events it accepted.
 */
async function pushFailedOnce({ sdk, runtime, base, control }, guarantee, fault, options = {}) {
  const retries = [];
  const label = `${runtime}:${guarantee}`;
  const flashCall = sdk.createFlashCall({
    ...base,
    ...options,
    maxRetries: 1,
    backoff: { baseMs: 1, maxMs: 1 },
    onRetry: (info) => {
      retries.push(info);
    },
  });
  await control.markRequests();
  await control.failNext(fault);
  let outcome;
  try {
    outcome = {
      result: await flashCall.push({
        title_rule: `runtime matrix: ${runtime} (${guarantee})`,
        event_status: "Warning",
        labels: { runtime: label },
      }),
    };
  } catch (error) {
    outcome = { error };
  } finally {
    await flashCall.close();
  }
  const attempts = await control.requests();
  const count = await control.events(label);
  return { ...outcome, retries, attempts, count };
}

/** The checks every retried push shares: delivered, accepted once, sent twice, `onRetry` told once. */
function checkRetriedOnce(guarantee, { result, error, retries, attempts, count }, failed, check) {
  check(
    `${guarantee}: delivered on the retry`,
    error === undefined && typeof result?.request_id === "string",
    error === undefined ? JSON.stringify(result) : describe(error),
  );
  check(`${guarantee}: the mock accepted the event once`, count === 1, `count ${count}`);
  const shown = attempts.map((attempt) => JSON.stringify(attempt)).join(", ");
  check(
    `${guarantee}: the mock recorded two attempts, ${failed.describe} then the delivery`,
    attempts.length === 2 && failed.matches(attempts[0]) && attempts[1].status === 200,
    shown,
  );
  const told = retries.map(({ attempt, status, code, delayMs }) => ({ attempt, status, code, delayMs }));
  check(
    `${guarantee}: onRetry was told once, of attempt 1`,
    retries.length === 1 && retries[0].attempt === 1,
    JSON.stringify(told),
  );
}

async function proveRetry(context) {
  const pushed = await pushFailedOnce(context, "retry", "InternalError");
  const { check } = context;
  checkRetriedOnce(
    "retry",
    pushed,
    { describe: "the 500", matches: (attempt) => attempt.status === 500 && attempt.code === "InternalError" },
    check,
  );
  check(
    "retry: onRetry was told of the 500",
    pushed.retries[0]?.status === 500,
    JSON.stringify(pushed.retries.map(({ status, code }) => ({ status, code }))),
  );
}

/** A 429 asking for a pause: the SDK waits what `Retry-After` says (1 s here, the backoff being 1 ms), then retries. */
async function proveRetryAfter(context) {
  const fault = { kind: "error", code: "RequestTooFrequently", retryAfter: RETRY_AFTER_SECONDS };
  const pushed = await pushFailedOnce(context, "retry-after", fault);
  const { sdk, check } = context;
  checkRetriedOnce(
    "retry-after",
    pushed,
    {
      describe: "the 429",
      matches: (attempt) => attempt.status === 429 && attempt.code === "RequestTooFrequently",
    },
    check,
  );
  const told = pushed.retries[0];
  const error = told?.error;
  check(
    "retry-after: onRetry was told of the 429 as RequestTooFrequentlyError with the header's wait",
    told?.status === 429 &&
      sdk.FlashdutyError.isInstance(error) &&
      error instanceof sdk.RequestTooFrequentlyError &&
      error.retryAfterMs === RETRY_AFTER_SECONDS * 1000,
    told === undefined ? "no onRetry" : `${describe(error)} retryAfterMs ${error?.retryAfterMs}`,
  );
  check(
    `retry-after: the retry waits the ${RETRY_AFTER_SECONDS} s Retry-After asks (onRetry's delayMs), not the backoff`,
    told?.delayMs === RETRY_AFTER_SECONDS * 1000,
    `delayMs ${told?.delayMs}`,
  );
}

/**
 * The mock destroys the connection instead of answering: a network error, typed, retried, and without the key.
 * Sent through the gateway, which gives every request a connection of its own: Deno and Chromium send a request
 * again by themselves when a connection they reused is closed before the answer, and the SDK would never see the
 * reset (the mock would record it, and the resent request, as the SDK's one attempt).
 */
async function proveReset(context) {
  const pushed = await pushFailedOnce(
    context,
    "reset",
    { kind: "reset" },
    { pushUrl: context.gatewayPushUrl },
  );
  const { sdk, integrationKey, check } = context;
  checkRetriedOnce(
    "reset",
    pushed,
    { describe: "the reset", matches: (attempt) => attempt.status === 0 && attempt.fault === "reset" },
    check,
  );
  const told = pushed.retries[0];
  const error = told?.error;
  check(
    "reset: onRetry was told of a FlashdutyNetworkError, retryable, with no status",
    told?.status === undefined &&
      told?.code === "NetworkError" &&
      sdk.FlashdutyNetworkError.isInstance(error) &&
      error instanceof sdk.FlashdutyNetworkError &&
      error.code === "NetworkError" &&
      error.retryable === true,
    told === undefined ? "no onRetry" : `${describe(error)} retryable ${error?.retryable}`,
  );
  check(
    "reset: the network error holds no piece of the key",
    error !== undefined && !leaksKey(printError(error), integrationKey),
  );
}

/** Flashduty never echoes the key; a server that does (a proxy, a mock, an attacker) must not get it shown. */
async function proveKeyEcho({ sdk, runtime, base, control, integrationKey, check }) {
  const seen = [];
  const record = (info) => {
    seen.push(safeJson(info));
    if (info?.error !== undefined) seen.push(printError(info.error));
  };
  const flashCall = sdk.createFlashCall({
    ...base,
    logLevel: "debug",
    logger: {
      debug: (line) => seen.push(String(line)),
      info: (line) => seen.push(String(line)),
      warn: (line) => seen.push(String(line)),
      error: (line) => seen.push(String(line)),
    },
    onRequest: record,
    onResponse: record,
    onRetry: record,
    onError: record,
  });
  // The key raw, inside a longer value, percent-encoded and JSON-escaped: the forms a careless server writes.
  const escaped = [...integrationKey].map(
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const body = `{"request_id":"${integrationKey}","data":{"alert_key":"ak-${integrationKey}","echo":"${encodeURIComponent(integrationKey)}","escaped":"${escaped.join("")}"}}`;
  await control.failNext({
    kind: "status",
    status: 200,
    body,
    headers: { "content-type": "application/json" },
  });
  try {
    const result = await flashCall.push({
      title_rule: `runtime matrix: ${runtime} (echo)`,
      event_status: "Info",
    });
    check(
      "key echo: a success body echoing the key is still a delivery",
      typeof result?.request_id === "string",
    );
    check("key echo: the result holds no piece of the key", !leaksKey(safeJson(result), integrationKey));
  } catch (error) {
    check("key echo: a success body echoing the key is still a delivery", false, describe(error));
    check("key echo: the error holds no piece of the key", !leaksKey(printError(error), integrationKey));
  }
  // The same echo in an error: Flashduty's error body (in a 200, as Flashduty sends some) with the key in its message.
  await control.failNext({
    kind: "error-in-200",
    code: "InternalError",
    message: `bad key ${integrationKey}`,
  });
  try {
    await flashCall.push({ title_rule: `runtime matrix: ${runtime} (echo error)`, event_status: "Info" });
    check("key echo: an error body echoing the key is an error", false, "the push resolved");
  } catch (error) {
    check(
      "key echo: an error body echoing the key is an error without any piece of it",
      sdk.FlashdutyError.isInstance(error) && !leaksKey(printError(error), integrationKey),
      describe(error),
    );
  } finally {
    await flashCall.close();
  }
  check(
    "key echo: hooks and log lines hold no piece of the key",
    seen.length > 0 && !seen.some((text) => leaksKey(text, integrationKey)),
    `${seen.length} hook calls and log lines`,
  );
}

async function proveQueue({ sdk, runtime, base, control, check }) {
  const label = `${runtime}:queue`;
  const flashCall = sdk.createFlashCall({ ...base, concurrency: 2 });
  const enqueueOne = (index) =>
    flashCall
      .enqueue({
        title_rule: `runtime matrix: ${runtime} (queued ${index})`,
        event_status: "Info",
        labels: { runtime: label },
      })
      .then(
        (result) => typeof result?.request_id === "string",
        () => false,
      );
  const flushed = [0, 1, 2, 3].map(enqueueOne);
  const flushCounts = await flashCall.flush();
  check(
    "queue: flush() delivers the 4 enqueued events",
    flushCounts?.delivered === 4 && flushCounts?.failed === 0,
    JSON.stringify(flushCounts),
  );
  const closed = [4, 5].map(enqueueOne);
  const closeCounts = await flashCall.close();
  check(
    "queue: close() delivers the 2 events enqueued after the flush",
    closeCounts?.delivered === 2 && closeCounts?.failed === 0,
    JSON.stringify(closeCounts),
  );
  const settled = await Promise.all([...flushed, ...closed]);
  check("queue: every enqueue resolved with its result", settled.every(Boolean), JSON.stringify(settled));
  const count = await control.events(label);
  check("queue: the mock received all 6", count === 6, `count ${count}`);
}

async function proveChange({ sdk, runtime, base, control, check }) {
  // The change endpoint sits beside the alert one, with the same mock key.
  const changePushUrl = base.pushUrl.replace("/event/push/alert/standard", "/event/push/change/standard");
  const { pushUrl: _alertPushUrl, ...changeBase } = base;
  const changes = sdk.createFlashCall({ ...changeBase, changePushUrl });
  const changeKey = `runtime-${runtime}`;
  try {
    const result = await changes.change({
      title: `runtime matrix: ${runtime}`,
      change_status: "Done",
      change_key: changeKey,
    });
    check("change: delivered", typeof result?.request_id === "string", JSON.stringify(result));
    const count = await control.changes(changeKey);
    check("change: the mock's change endpoint received it", count === 1, `count ${count}`);
  } catch (error) {
    check("change: delivered", false, describe(error));
  } finally {
    await changes.close();
  }
}

/** Whether `text` holds any KEY_PIECE_LENGTH characters of the key in a row. */
function leaksKey(text, integrationKey) {
  if (integrationKey.length < KEY_PIECE_LENGTH) return true;
  for (let at = 0; at + KEY_PIECE_LENGTH <= integrationKey.length; at++) {
    if (text.includes(integrationKey.slice(at, at + KEY_PIECE_LENGTH))) return true;
  }
  return false;
}

function printError(error) {
  return `${String(error)} ${error?.stack ?? ""} ${safeJson(error)} ${safeJson(error?.cause)}`;
}

function safeJson(value) {
  try {
    return JSON.stringify(value) ?? "";
  } catch (error) {
    return `unserializable: ${error}`;
  }
}

function describe(error) {
  return `${error?.constructor?.name ?? typeof error} ${error?.code ?? ""} ${error?.status ?? ""}: ${error?.message ?? error}`;
}
