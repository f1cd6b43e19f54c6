import { expect, test } from "vitest";
import { bodyQueue } from "./body-queue.js";

function source() {
  const calls: string[] = [];
  return {
    calls,
    pause: () => calls.push("pause"),
    resume: () => calls.push("resume"),
    destroy: () => calls.push("destroy"),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const textOf = (piece: Uint8Array) => new TextDecoder().decode(piece);

test("pieces are read in order, the source paused while one waits and resumed when the reader wants more", async () => {
  const from = source();
  const queue = bodyQueue(from);
  queue.push(bytes("ab"));
  expect(from.calls).toEqual(["pause"]);
  expect(textOf((await queue.iterator.next()).value as Uint8Array)).toBe("ab");
  const next = queue.iterator.next();
  expect(from.calls).toEqual(["pause", "resume"]);
  queue.push(bytes("cd"));
  expect(textOf((await next).value as Uint8Array)).toBe("cd");
  queue.end();
  expect(queue.finished).toBe(true);
  expect(await queue.iterator.next()).toEqual({ done: true, value: undefined });
});

test("an empty piece is no piece", async () => {
  const from = source();
  const queue = bodyQueue(from);
  queue.push(new Uint8Array(0));
  queue.end();
  expect(await queue.iterator.next()).toEqual({ done: true, value: undefined });
  expect(from.calls).toEqual([]);
});

test("a failure rejects the read waiting for it, and the first failure is the one kept", async () => {
  const queue = bodyQueue(source());
  const next = queue.iterator.next();
  queue.fail(new Error("reset"));
  queue.fail(new Error("later"));
  await expect(next).rejects.toThrow("reset");
  await expect(queue.iterator.next()).rejects.toThrow("reset");
});

test("a failure known before the read rejects the first read; leaving early destroys the source", async () => {
  const from = source();
  const failed = bodyQueue(from, { error: new Error("aborted") });
  await expect(failed.iterator.next()).rejects.toThrow("aborted");
  await failed.iterator.return?.();
  expect(from.calls).toContain("destroy");
});

test("pieces that came while none was read are taken as one, in order", async () => {
  const queue = bodyQueue(source());
  for (const piece of ["a", "b", "c"]) queue.push(bytes(piece));
  queue.end();
  expect(textOf((await queue.iterator.next()).value as Uint8Array)).toBe("abc");
  expect(await queue.iterator.next()).toEqual({ done: true, value: undefined });
});
