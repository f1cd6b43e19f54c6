import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { listenForShutdown, type SignalSource, STOP_SIGNALS, stopReason } from "./shutdown.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const errors: string[] = [];
  const source = Object.assign(emitter, {
    exit: (code: number) => {
      exits.push(code);
      return undefined as never;
    },
    stderr: { write: (text: string) => errors.push(text) },
  }) as unknown as SignalSource & EventEmitter;
  return { source, exits, errors };
}

describe("listenForShutdown", () => {
  for (const signal of STOP_SIGNALS) {
    it(`aborts with ${signal} as the reason, and exits at once on a second signal`, () => {
      const { source, exits, errors } = fakeProcess();
      const stop = listenForShutdown(source);
      expect(stopReason(stop)).toBeUndefined();
      source.emit(signal);
      expect(stop.aborted).toBe(true);
      expect(stopReason(stop)).toBe(signal);
      expect(exits).toEqual([]);
      source.emit("SIGTERM");
      expect(exits).toEqual([1]);
      expect(errors).toEqual(["flash-call: stopped again by SIGTERM; exiting now without waiting\n"]);
    });
  }

  it("names no signal for a run that was not stopped", () => {
    expect(stopReason(undefined)).toBeUndefined();
    expect(stopReason(AbortSignal.abort(new Error("other")))).toBe("a stop signal");
  });
});
