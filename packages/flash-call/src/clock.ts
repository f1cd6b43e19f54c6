/**
 * Milliseconds on a clock that only moves forward (`performance.now()`, where a runtime has it): what pacing windows
 * and durations are measured on, so that a wall clock stepped by NTP or by hand neither stalls pacing nor lets a
 * burst through. Looked up at each call, so that fake timers installed after import are seen.
 *
 * @example
 * ```ts
 * const started = monotonicNow();
 * await send();
 * const durationMs = monotonicNow() - started;
 * ```
 */
export const monotonicNow = (): number => (globalThis.performance ?? Date).now();
