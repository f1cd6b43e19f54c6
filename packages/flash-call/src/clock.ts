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

/**
 * The time since the epoch, in ms, of `monotonic`, an instant read with {@link monotonicNow}: what a span's start and
 * end are given, so that they are the very instants a duration was measured between.
 *
 * @example
 * ```ts
 * span.end(epochMsOf(started + durationMs));
 * ```
 */
export const epochMsOf = (monotonic: number): number =>
  globalThis.performance === undefined ? monotonic : globalThis.performance.timeOrigin + monotonic;
