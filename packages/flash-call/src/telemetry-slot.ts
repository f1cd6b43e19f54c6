/**
 * Where the telemetry module (`flash-call/telemetry`) registers its factory on `globalThis` when it loads, and where
 * the SDK looks for it: a `Symbol.for` name, so that every copy of the SDK in a process finds the one loaded.
 */
export const TELEMETRY_SLOT = Symbol.for("flash-call.telemetry.1");
