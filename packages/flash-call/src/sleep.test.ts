import { FlashdutyConfigError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { sleep } from "./sleep.js";

describe("sleep", () => {
  test("resolves after its wait, and rejects with the signal's reason when it aborts", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  test.each([
    ["an ms that is a string", "10", undefined, "sleep()'s ms must be a number, not a string."],
    ["an ms that is NaN", Number.NaN, undefined, "sleep()'s ms must be a number, not NaN."],
    ["a signal that is null", 10, null, "sleep()'s signal must be an AbortSignal, not null."],
    [
      "a signal without listeners",
      10,
      { aborted: false },
      "sleep()'s signal must be an AbortSignal, not an object.",
    ],
  ])(
    "rejects %s with a FlashdutyConfigError naming it, and starts no timer",
    async (_name, ms, signal, message) => {
      const error = await sleep(ms as never, signal as never).catch((thrown: unknown) => thrown);
      expect(FlashdutyConfigError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(message);
    },
  );
});
