import type { components } from "./generated/schema.js";

/** A standard alert event, as the push endpoint takes it. */
export type AlertEvent = components["schemas"]["AlertEvent"];
/** `Critical`, `Warning`, `Info`, or `Ok` (which recovers the alert). */
export type EventStatus = components["schemas"]["EventStatus"];
/** An image attached to an alert. */
export type AlertImage = components["schemas"]["AlertImage"];
/** The body of an accepted push: `{ request_id, data: { alert_key } }`. */
export type PushSuccess = components["schemas"]["PushSuccess"];
/** The body of a failed push: `{ request_id?, error: { code, message } }`. */
export type PushFailure = components["schemas"]["PushFailure"];
/** One of Flashduty's documented error codes. */
export type ErrorCode = components["schemas"]["ErrorCode"];
/** A standard change event (a deployment, a config change), as the change endpoint takes it. */
export type ChangeEvent = components["schemas"]["ChangeEvent"];
/** `Planned`, `Ready`, `Processing`, `Canceled` (cancelled or rolled back) or `Done`. */
export type ChangeStatus = components["schemas"]["ChangeStatus"];
/** The body of an accepted change push: `{ request_id }` (any `data` is undocumented). */
export type ChangePushSuccess = components["schemas"]["ChangePushSuccess"];
