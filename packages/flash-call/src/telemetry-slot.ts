/**
 * Where the telemetry module (`flash-call/telemetry`) registers its factory on `globalThis` when it loads, and where
 * the SDK looks for it: a `Symbol.for` name, so that every copy of the SDK in a process finds the one loaded.
 */
export const TELEMETRY_SLOT = Symbol.for("flash-call.telemetry.1");

/**
 * Where `@opentelemetry/api` (any 1.x copy) registers its providers and context manager on `globalThis`: a
 * `Symbol.for` name, so that duplicate copies of the API share them; it is the API's 1.x contract.
 */
export const OTEL_GLOBAL = Symbol.for("opentelemetry.js.api.1");
