import { FlashdutyConfigError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { FaultQueue, normalizeFault } from "./fault.js";

describe("faults", () => {
  test("an error code is shorthand for an error fault", () => {
    expect(normalizeFault("InternalError")).toEqual({ kind: "error", code: "InternalError" });
    expect(normalizeFault({ kind: "reset" })).toEqual({ kind: "reset" });
  });

  test("the queue hands faults out first in, first out, one per request", () => {
    const queue = new FaultQueue();
    queue.push("AccessDenied");
    queue.push([{ kind: "reset" }, { kind: "delay", ms: 5 }]);
    expect(queue.size).toBe(3);
    expect(queue.take()).toEqual({ kind: "error", code: "AccessDenied" });
    expect(queue.take()).toEqual({ kind: "reset" });
    queue.clear();
    expect(queue.take()).toBeUndefined();
  });

  test("what is not a fault is refused when it is queued, saying what is wrong", () => {
    const refused = (fault: unknown) => {
      try {
        new FaultQueue().push(fault as never);
      } catch (error) {
        expect(FlashdutyConfigError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(refused({ kind: "resett" })).toMatch(
      /the kind "resett" is not a fault: .*one of error, status, reset/,
    );
    expect(refused(null)).toMatch(/null is not a fault/);
    expect(refused({ kind: "status" })).toMatch(/a status fault needs a status from 100 to 599/);
    expect(refused({ kind: "status", status: 42 })).toMatch(/status from 100 to 599/);
    expect(refused({ kind: "delay", ms: Number.NaN })).toMatch(/delay fault needs ms/);
    expect(refused({ kind: "error" })).toMatch(/error fault needs a code/);
    expect(refused({ kind: "html", status: "502" })).toMatch(/html fault's status/);
    // Nothing of a batch with a bad fault in it is queued: a batch is queued whole or not at all.
    const queue = new FaultQueue();
    expect(() => queue.push([{ kind: "reset" }, { kind: "nope" } as never])).toThrow(/not a fault/);
    expect(queue.size).toBe(0);
    for (const fault of [
      { kind: "html" },
      { kind: "delay", ms: 0 },
      { kind: "cut-body" },
      "Unauthorized",
    ] as const) {
      expect(refused(fault)).toBe("accepted");
    }
  });
});
