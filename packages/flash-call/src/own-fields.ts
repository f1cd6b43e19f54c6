import { FlashdutyValidationError } from "@flash-call/errors";
import type { EventSubject } from "./event-checks.js";

/**
 * A caller's own fields for a follow-up event (a recovery, a change's next status), copied once: `undefined` is
 * none, anything but an object is a `FlashdutyValidationError`, and a getter or Proxy trap that throws is
 * reported as unreadable input, never a crash.
 *
 * @param subject what the fields are of, as the error's message names it @default "alert event"
 * @example
 * const fields = ownFields(extra, "the recovery's own fields"); // {} for undefined
 */
export function ownFields<Fields extends object>(
  extra: Fields | undefined,
  what: string,
  subject?: EventSubject,
): Partial<Fields> {
  if (extra !== undefined && (extra === null || typeof extra !== "object")) {
    throw new FlashdutyValidationError([{ path: "", message: `${what} must be an object` }], { subject });
  }
  try {
    return { ...extra };
  } catch {
    throw new FlashdutyValidationError(
      [{ path: "", message: "could not be read: a getter or Proxy trap of the event threw" }],
      { subject },
    );
  }
}

/**
 * The fields of `source` among `names` that are defined, so that none is set to `undefined`. A field that cannot be
 * read (its getter throws) is left out: this runs after a delivery, which must not turn into a failure.
 *
 * @example
 * definedFields(call, ["integrationKey", "pushUrl", "baseUrl"]); // the destination of a call, without its signal
 */
export function definedFields<Source extends object, Name extends keyof Source>(
  source: Source | undefined,
  names: readonly Name[],
): Pick<Source, Name> {
  const fields = {} as Pick<Source, Name>;
  for (const name of names) {
    try {
      const value = source?.[name];
      if (value !== undefined) fields[name] = value as Source[Name];
    } catch {}
  }
  return fields;
}
