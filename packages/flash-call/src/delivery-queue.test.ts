import { FlashdutyAbortError, FlashdutyError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { DeliveryQueue } from "./delivery-queue.js";

const deferred = <Value>() => {
  let resolve!: (value: Value) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Value>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

describe("DeliveryQueue", () => {
  test("runs at most `concurrency` jobs at once", async () => {
    const queue = new DeliveryQueue<number>(100, 3);
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 20 }, (_, index) =>
      queue.add(undefined, async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((wake) => setTimeout(wake, 1));
        running--;
        return index;
      }),
    );
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(most).toBe(3);
  });

  test("refuses work beyond maxQueue with a typed error, dropping nothing already queued", async () => {
    const queue = new DeliveryQueue<string>(2, 1);
    const gate = deferred<string>();
    const first = queue.add(undefined, () => gate.promise);
    const second = queue.add(undefined, async () => "second");
    const third = queue.add(undefined, async () => "third");
    await expect(third).rejects.toSatisfy(
      (error) => FlashdutyError.isInstance(error) && error.code === "QueueFull" && error.retryable,
    );
    gate.resolve("first");
    expect(await Promise.all([first, second])).toEqual(["first", "second"]);
  });

  test("jobs of one alert_key never overtake each other; others pass them", async () => {
    const queue = new DeliveryQueue<string>(100, 4);
    const order: string[] = [];
    const alertGate = deferred<string>();
    const alert = queue.add("k1", async () => {
      await alertGate.promise;
      order.push("alert");
      return "alert";
    });
    const recovery = queue.add("k1", async () => {
      order.push("recovery");
      return "recovery";
    });
    const other = queue.add("k2", async () => {
      order.push("other");
      return "other";
    });
    await other;
    expect(order).toEqual(["other"]);
    alertGate.resolve("go");
    await Promise.all([alert, recovery]);
    expect(order).toEqual(["other", "alert", "recovery"]);
  });

  test("a failed job does not stop its successors; flush counts both", async () => {
    const queue = new DeliveryQueue<string>(100, 1);
    const failed = queue.add("k", async () => {
      throw new Error("boom");
    });
    const next = queue.add("k", async () => "next");
    failed.catch(() => {});
    const flushed = queue.flush();
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    expect(await flushed).toEqual({ delivered: 1, failed: 1 });
    expect(await queue.flush()).toEqual({ delivered: 0, failed: 0 });
  });

  test("flush waits only for what was queued when it was called, however much keeps coming", async () => {
    const queue = new DeliveryQueue<number>(100, 1);
    let sent = 0;
    let stop = false;
    const feed = (): void => {
      if (stop) return;
      queue
        .add(undefined, async () => {
          await new Promise((wake) => setTimeout(wake, 1));
          return ++sent;
        })
        .then(feed, feed);
    };
    feed();
    feed();
    const result = await queue.flush();
    stop = true;
    expect(result).toEqual({ delivered: 2, failed: 0 });
    await queue.flush();
  });

  test("two flushes waiting at once each get the counts of what they waited for", async () => {
    const queue = new DeliveryQueue<string>(100, 1);
    queue.add(undefined, async () => "a");
    const first = queue.flush();
    queue.add(undefined, async () => "b");
    const second = queue.flush();
    expect(await first).toEqual({ delivered: 1, failed: 0 });
    expect(await second).toEqual({ delivered: 2, failed: 0 });
  });

  test("flush waits for everything queued", async () => {
    const queue = new DeliveryQueue<number>(100, 2);
    let done = 0;
    for (let index = 0; index < 10; index++) {
      queue
        .add(undefined, async () => {
          await new Promise((wake) => setTimeout(wake, 2));
          return ++done;
        })
        .catch(() => {});
    }
    await queue.flush();
    expect(done).toBe(10);
    expect(queue.size).toBe(0);
  });

  test("a waiting job whose signal aborts leaves at once, never runs, and frees its room", async () => {
    const busy: boolean[] = [];
    const queue = new DeliveryQueue<string>(2, 1, (state) => busy.push(state));
    const gate = deferred<string>();
    const first = queue.add("k", () => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const second = queue.add(
      "k",
      async () => {
        ran = true;
        return "second";
      },
      controller.signal,
    );
    const flushed = queue.flush();
    expect(queue.size).toBe(2);
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(FlashdutyAbortError);
    expect(queue.size).toBe(1);
    const third = queue.add("k", async () => "third");
    gate.resolve("first");
    expect(await Promise.all([first, third])).toEqual(["first", "third"]);
    expect(await flushed).toEqual({ delivered: 1, failed: 1 });
    expect(ran).toBe(false);
    expect(queue.size).toBe(0);
    expect(busy).toEqual([true, false]);
  });

  test("a job added with an aborted signal is refused without entering the queue", async () => {
    const busy: boolean[] = [];
    const queue = new DeliveryQueue<string>(1, 1, (state) => busy.push(state));
    await expect(queue.add(undefined, async () => "x", AbortSignal.abort())).rejects.toBeInstanceOf(
      FlashdutyAbortError,
    );
    expect(queue.size).toBe(0);
    expect(busy).toEqual([]);
  });
});
