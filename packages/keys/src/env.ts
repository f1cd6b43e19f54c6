/**
 * An environment variable, where there is such a thing: Node, Bun and Deno's Node compatibility expose
 * `process.env`; browsers and workers have no `process`, and then every variable reads as unset.
 * An empty value counts as unset, as shells and CI systems often export empty variables.
 */
export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      name
    ];
    return value === "" ? undefined : value;
  } catch {
    // Some sandboxes make process.env a proxy that throws on access: that is "no environment", not a crash.
    return undefined;
  }
}

/** Whether this runtime has an environment to read at all. */
export function hasEnv(): boolean {
  return typeof (globalThis as { process?: { env?: unknown } }).process?.env === "object";
}
