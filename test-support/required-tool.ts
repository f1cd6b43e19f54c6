/** True when the environment says this is a CI run (`CI` set to anything but "", "0" or "false"). */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/**
 * The rule for suites that drive a system tool (tinyproxy, Chromium): on a developer's machine a missing tool
 * skips the suite with `reason`; in CI it throws, so the run fails instead of passing without the suite.
 *
 * @example
 * ```ts
 * const unavailable = skipReasonOutsideCi(which("tinyproxy") ? undefined : "tinyproxy is not installed");
 * describe.skipIf(unavailable !== undefined)("through a real proxy", () => { ... });
 * ```
 */
export function skipReasonOutsideCi(
  reason: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (reason !== undefined && isCi(env)) {
    throw new Error(`${reason}. CI=${env.CI}: this suite must run in CI, so it fails instead of skipping`);
  }
  return reason;
}
