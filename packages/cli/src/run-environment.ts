import type { Transport } from "./connection.js";
import type { TextSink } from "./output.js";

/** The process around a run: arguments aside, what the command may read and write. */
export interface RunEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<string | Uint8Array>;
  /** Aborted when the command must stop (see listenForShutdown): pushes abort, the spool keeps the rest. @default never */
  stop?: AbortSignal | undefined;
  /**
   * How pushes go when no proxy is set: `"node-http"` (the bin's: node:http/node:https, see httpTransport), or
   * `"fetch"`, the runtime's global `fetch` looked up at each push (so an in-process caller's stub or polyfill is
   * honoured). @default "fetch"
   */
  transport?: Transport | undefined;
}
