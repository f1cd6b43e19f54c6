/** The name of the `diagnostics_channel` tracing channel every push is traced on (Node ≥ 20.16). */
export const PUSH_CHANNEL = "flash-call:push";

/**
 * What a `flash-call:push` subscriber is given (the tracing channel's context object): facts that hold no key.
 * The channel adds `result` (Flashduty's success body) or `error` (the typed `FlashdutyError`).
 */
export interface PushChannelContext {
  alert_key: string | undefined;
  event_status: string;
  /**
   * The masked key (`****#…`). A push sent on to a rotated key after Flashduty refused its first one names, by its
   * end, the key it was finally sent with (the start handler saw the first).
   */
  integration: string;
  /** The base URL, likewise the final one. */
  baseUrl: string;
}

interface TracingChannelLike {
  readonly hasSubscribers?: boolean;
  tracePromise<Result>(run: () => Promise<Result>, context: object): Promise<Result>;
}

type BuiltinLoader = (name: string) => { tracingChannel?: (name: string) => TracingChannelLike } | undefined;

/** `null` once looked up and absent (not Node, or a Node before `process.getBuiltinModule`). */
let channel: TracingChannelLike | null | undefined;

/**
 * The push tracing channel when anyone subscribes to it, else `undefined`: without subscribers a push costs one
 * property read. Reached through `process.getBuiltinModule`, not an import, so that the SDK stays free of `node:`
 * imports for Bun, Deno, workerd and browsers, where this is `undefined`.
 *
 * @example
 * ```ts
 * const traced = pushChannel();
 * return traced ? traced.tracePromise(send, context) : send();
 * ```
 */
export function pushChannel(): TracingChannelLike | undefined {
  if (channel === undefined) {
    try {
      const node = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process;
      channel = node?.getBuiltinModule?.("node:diagnostics_channel")?.tracingChannel?.(PUSH_CHANNEL) ?? null;
    } catch {
      channel = null;
    }
  }
  return channel?.hasSubscribers === true ? channel : undefined;
}
