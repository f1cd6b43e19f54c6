import { FlashdutyConfigError, kindOf } from "@flash-call/errors";
import type { KeyIdentity } from "./key-store.js";

/**
 * The `user` and `strategy` of `given`, each read once into a plain object: what `setKey` stores and
 * `identityLabels` labels with. Plain JavaScript may pass anything: `undefined` or `null` is no identity; a value
 * that is not an object, a getter or Proxy trap that throws, or a `user`/`strategy` that is neither a string nor
 * `undefined` is a `FlashdutyConfigError` naming `where` (never quoting a value: it may be a key given by mistake).
 *
 * @example
 * ```ts
 * readIdentity({ user: "ops-bot" }, "setKey()"); // { user: "ops-bot" }
 * readIdentity({ user: 42 }, "setKey()"); // throws: setKey()'s user must be a string, not 42.
 * ```
 */
export function readIdentity(given: unknown, where: string): KeyIdentity {
  if (given === undefined || given === null) return {};
  if (typeof given !== "object") {
    throw new FlashdutyConfigError(`${where}'s identity must be an object, not ${kindOf(given)}.`);
  }
  let user: unknown;
  let strategy: unknown;
  try {
    ({ user, strategy } = given as { user?: unknown; strategy?: unknown });
  } catch {
    // Not the getter's error: its message is the caller's, and may quote the key.
    throw new FlashdutyConfigError(
      `The options given to ${where} could not be read: a getter or Proxy trap threw.`,
    );
  }
  const identity: KeyIdentity = {};
  for (const [name, value] of [
    ["user", user],
    ["strategy", strategy],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== "string") {
      throw new FlashdutyConfigError(`${where}'s ${name} must be a string, not ${kindOf(value)}.`);
    }
    identity[name] = value;
  }
  return identity;
}
