import { createRequire } from "node:module";
import { FlashdutyConfigError } from "@flash-call/errors";

/** What this package uses of msw. */
export type Msw = typeof import("msw");

let loaded: Msw | undefined;

/**
 * msw, loaded on first use rather than when this package is imported: msw is an optional peer, and
 * `handle(request)` and `startMockServer` work without it. Loaded synchronously (through `require`) so that
 * `handlers` can stay a plain property; msw's handlers are plain objects to its `setupServer`, so handlers
 * built by its CommonJS copy work with an ESM `setupServer`.
 *
 * @throws FlashdutyConfigError when msw is not installed, saying how to install it or do without it
 * @example
 * ```ts
 * const { http } = loadMsw();
 * ```
 */
export function loadMsw(): Msw {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)("msw") as Msw;
    return loaded;
  } catch (cause) {
    if (!isMswMissing(cause)) throw cause;
    throw new FlashdutyConfigError(
      "createMockFlashduty().handlers needs msw, which is not installed: run `npm install --save-dev msw`, or pass `(input, init) => mock.handle(new Request(input, init))` as your client's fetch instead.",
      { cause },
    );
  }
}

function isMswMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "MODULE_NOT_FOUND" &&
    /['"]msw['"]/.test(error.message)
  );
}
