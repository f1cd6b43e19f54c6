// Debian's Chromium for the browser tests (the inspector page), driven over the DevTools protocol by
// playwright-core, which downloads no browser. `pnpm test` installs chromium (scripts/system-packages.sh); on a
// developer machine without it the browser tests are skipped with the reason; in CI (CI=true) they fail instead.
import { execFileSync } from "node:child_process";
import { skipReasonOutsideCi } from "./required-tool.js";

/** Flags for a headless run in a container: no sandbox (no user namespaces there), no GPU, no background calls. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
];

/**
 * The Chromium executable to drive: `CHROMIUM_PATH` if set, else the first of `chromium` and
 * `chromium-browser` on the PATH; undefined when there is none.
 *
 * @example chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
 */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
    } catch {
      // Not this name; try the next.
    }
  }
  return undefined;
}

/**
 * Why the browser tests cannot run here, or undefined when they can; throws in CI, where they must run.
 *
 * @example describe.skipIf(chromiumUnavailableReason() !== undefined)("in a browser", () => { ... })
 */
export function chromiumUnavailableReason(): string | undefined {
  return skipReasonOutsideCi(
    chromiumPath() === undefined
      ? "chromium is not installed (apt-get install chromium; `pnpm test` installs it as root)"
      : undefined,
  );
}
