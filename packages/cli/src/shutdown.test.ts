import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import {
  listenForShutdown,
  REPEATED_SIGNAL_WINDOW_MS,
  type SignalSource,
  STOP_SIGNALS,
  stopReason,
  unlessStopped,
} from "./shutdown.js";

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
    it(`aborts with ${signal} as the reason, and exits at once on a signal after the repeat window`, () => {
      const { source, exits, errors } = fakeProcess();
      let clock = 5000;
      const stop = listenForShutdown(source, () => clock);
      expect(stopReason(stop)).toBeUndefined();
      source.emit(signal);
      expect(stop.aborted).toBe(true);
      expect(stopReason(stop)).toBe(signal);
      expect(exits).toEqual([]);
      clock += REPEATED_SIGNAL_WINDOW_MS + 1;
      source.emit("SIGTERM");
      expect(exits).toEqual([1]);
      expect(errors).toEqual(["flash-call: stopped again by SIGTERM; exiting now without waiting\n"]);
    });
  }

  it("takes a signal within the repeat window as the same stop (timeout signals the process and its group)", () => {
    const { source, exits, errors } = fakeProcess();
    let clock = 0;
    const stop = listenForShutdown(source, () => clock);
    source.emit("SIGTERM");
    clock += REPEATED_SIGNAL_WINDOW_MS;
    source.emit("SIGTERM");
    source.emit("SIGINT");
    expect(stopReason(stop)).toBe("SIGTERM");
    expect(exits).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("names no signal for a run that was not stopped", () => {
    expect(stopReason(undefined)).toBeUndefined();
    expect(stopReason(AbortSignal.abort(new Error("other")))).toBe("a stop signal");
  });
});

describe("unlessStopped", () => {
  it("passes the work through when no stop comes", async () => {
    expect(await unlessStopped(Promise.resolve(7), new AbortController().signal, "waiting")).toBe(7);
    expect(await unlessStopped(Promise.resolve(7), undefined, "waiting")).toBe(7);
  });

  it("gives up on work that never ends once the stop signal comes", async () => {
    const controller = new AbortController();
    const pending = unlessStopped(new Promise(() => undefined), controller.signal, "reading the input");
    controller.abort("SIGTERM");
    await expect(pending).rejects.toEqual({
      code: "Stopped",
      retryable: false,
      message: "not delivered: stopped by SIGTERM while reading the input; nothing was sent",
    });
  });
});
