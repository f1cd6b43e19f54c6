import { MAX_TIMER_MS } from "./sleep.js";

interface Deadline {
  at: number;
  onExpiry: () => void;
}

const now = () => (globalThis.performance ?? Date).now();

// One timer for every attempt in flight, armed for the earliest deadline. A timer per attempt costs far more than its
// own CPU suggests: in Node, setting and clearing the only timer of a duration builds and tears down that duration's
// timer list and re-arms libuv's timer each time, ~8% of a local round trip (`pnpm bench`, issue 6).
const pending = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
let armedFor = Number.POSITIVE_INFINITY;

/**
 * Calls `onExpiry` once `ms` milliseconds have passed, unless the returned function is called first (the attempt
 * ended). Expiry is never early and at most a few milliseconds late.
 */
export function onDeadline(ms: number, onExpiry: () => void): () => void {
  const deadline: Deadline = { at: now() + ms, onExpiry };
  pending.add(deadline);
  if (deadline.at < armedFor) arm(deadline.at);
  return () => {
    pending.delete(deadline);
  };
}

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  armedFor = at;
  // Longer than setTimeout's limit would fire at once: wake at the limit and re-arm.
  timer = setTimeout(sweep, Math.min(Math.max(0, at - now()), MAX_TIMER_MS));
  // The timer outlives the attempts it was armed for (it is not cleared when they end, which is the saving), so it
  // must not keep a process alive: an attempt in flight does that through its socket.
  unref(timer);
}

function sweep(): void {
  timer = undefined;
  armedFor = Number.POSITIVE_INFINITY;
  const time = now();
  let next = Number.POSITIVE_INFINITY;
  for (const deadline of pending) {
    if (deadline.at <= time) {
      pending.delete(deadline);
      deadline.onExpiry();
    } else if (deadline.at < next) next = deadline.at;
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next);
}

/** Node and Bun timers have `unref`; Deno's are numbers, unreferenced with `Deno.unrefTimer`; browsers need neither. */
function unref(handle: ReturnType<typeof setTimeout>): void {
  if (typeof handle === "object" && handle !== null && "unref" in handle) handle.unref();
  else (globalThis as { Deno?: { unrefTimer?: (id: unknown) => void } }).Deno?.unrefTimer?.(handle);
}
