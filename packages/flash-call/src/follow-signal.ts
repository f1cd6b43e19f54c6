import { FlashdutyConfigError } from "@flash-call/errors";
import type { CallOptions } from "./options.js";

/** Takes the follower's listener off the caller's signal; never throws. */
export type Unfollow = () => void;

/** What `checkCallOptions` let through as a signal: the shape of an AbortSignal, whatever it is. */
interface SignalLike {
  readonly aborted: unknown;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

const SIGNAL_PROTOTYPE: object | undefined =
  typeof AbortSignal === "function" ? AbortSignal.prototype : undefined;
/** The runtime's own `aborted` getter: it throws for anything but a real AbortSignal. */
const ABORTED_GETTER = SIGNAL_PROTOTYPE && Object.getOwnPropertyDescriptor(SIGNAL_PROTOTYPE, "aborted")?.get;
/** The fields the SDK reads or calls: a real signal that shadows one with a field of its own is not trusted. */
const SIGNAL_FIELDS = ["aborted", "reason", "addEventListener", "removeEventListener"] as const;

type ProxyTest = (value: unknown) => boolean;
/**
 * Node's own test for a Proxy, looked up at the first signal: Node's AbortSignal is written in JavaScript and
 * checks its receiver by a symbol-keyed field, which a Proxy around a real signal passes on. Other runtimes'
 * signals have internal slots a Proxy does not have. `null` where it cannot be reached (Node before 20.16).
 */
let isProxy: ProxyTest | null | undefined;

function proxyTest(): ProxyTest | null {
  if (isProxy === undefined) {
    try {
      const node = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
      const util = node?.getBuiltinModule?.("node:util") as { types?: { isProxy?: ProxyTest } } | undefined;
      isProxy = util?.types?.isProxy ?? null;
    } catch {
      isProxy = null;
    }
  }
  return isProxy;
}

/**
 * Whether `signal` is a real AbortSignal of this realm, with none of its fields shadowed: one whose reads run no
 * code of the caller's, so the SDK uses it as it is. Asks nothing of the object that a Proxy could trap before
 * knowing it is a real one.
 *
 * @example
 * ```ts
 * isNativeSignal(new AbortController().signal); // true
 * isNativeSignal({ aborted: false, addEventListener() {}, removeEventListener() {} }); // false
 * ```
 */
export function isNativeSignal(signal: object): boolean {
  if (ABORTED_GETTER === undefined) return false;
  try {
    ABORTED_GETTER.call(signal);
  } catch {
    return false;
  }
  if (proxyTest()?.(signal) === true || Object.getPrototypeOf(signal) !== SIGNAL_PROTOTYPE) return false;
  for (const name of SIGNAL_FIELDS) if (Object.hasOwn(signal, name)) return false;
  return true;
}

/** The caller's signal's reason, or none (the runtime's AbortError) when reading it throws. */
function reasonOf(signal: SignalLike): unknown {
  try {
    return signal.reason;
  } catch {
    return undefined;
  }
}

/**
 * Makes the call's signal one the SDK can read safely. A real AbortSignal stays as it is (nothing is added to a
 * push with one, or with none). Any other object of its shape (a polyfill, a signal of another realm, a wrapper) is
 * followed by an AbortController of the SDK's: its `aborted` is read once, here, and its abort event aborts the
 * follower with its `reason` (the runtime's AbortError when that getter throws). The SDK and the pacer then read
 * only the follower, so a getter that throws later raises nothing deep in a push. `call.signal` is replaced by the
 * follower's, and the returned `Unfollow` must run when the push settles: a long-lived signal given to every push
 * keeps no listener of a finished one.
 *
 * @returns the listener's removal, or `undefined` when nothing was added (no signal, a real one, or one aborted already)
 * @throws FlashdutyConfigError when the signal's `aborted` getter or its `addEventListener` throws
 * @example
 * ```ts
 * const call = checkCallOptions(given);
 * const unfollow = followCallSignal(call);
 * deliverWith(call.signal).finally(() => unfollow?.());
 * ```
 */
export function followCallSignal(call: CallOptions): Unfollow | undefined {
  const given = call.signal as SignalLike | undefined;
  if (given === undefined || isNativeSignal(given)) return undefined;
  const follower = new AbortController();
  let aborted: unknown;
  try {
    aborted = given.aborted;
  } catch {
    throw new FlashdutyConfigError("signal.aborted could not be read: its getter threw.");
  }
  (call as { signal?: AbortSignal }).signal = follower.signal;
  if (aborted === true) {
    follower.abort(reasonOf(given));
    return undefined;
  }
  const onAbort = () => follower.abort(reasonOf(given));
  try {
    given.addEventListener("abort", onAbort, { once: true });
  } catch {
    throw new FlashdutyConfigError("signal.addEventListener threw: pass an AbortSignal.");
  }
  return () => {
    try {
      given.removeEventListener("abort", onAbort);
    } catch {
      // A signal that cannot take its listener back must not fail a push that was delivered.
    }
  };
}

/**
 * `push`, running `unfollow` once it settles (either way); `push` itself when there is nothing to take back (no
 * signal, or a real AbortSignal), so those pushes pay for no promise more.
 *
 * @example
 * ```ts
 * return settled(send(prepared, target, call), followCallSignal(call));
 * ```
 */
export function settled<Result>(push: Promise<Result>, unfollow: Unfollow | undefined): Promise<Result> {
  return unfollow === undefined ? push : push.finally(unfollow);
}
