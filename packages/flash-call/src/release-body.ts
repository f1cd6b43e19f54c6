/**
 * Lets go of the body of an answer that will not be read, however the fetch gave it: a stream's `cancel()` (the
 * runtime's fetch), a Node stream's `destroy()` (node-fetch, whose body has no `cancel`), or nothing. Never throws
 * and never rejects: a body that cannot be released changes nothing about the answer already had.
 *
 * @example
 * ```ts
 * releaseBody(response); // a 3xx's body, never read
 * ```
 */
export function releaseBody(response: unknown): void {
  try {
    const body = (response as { body?: unknown } | null | undefined)?.body as
      | { cancel?: () => unknown; destroy?: () => unknown }
      | null
      | undefined;
    if (typeof body?.cancel === "function") Promise.resolve(body.cancel()).catch(ignore);
    else if (typeof body?.destroy === "function") body.destroy();
  } catch {
    // A getter or a cancel that throws: there is nothing more to release.
  }
}

const ignore = () => {};
