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
});
