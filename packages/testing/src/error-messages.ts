import type { ErrorCode } from "@flash-call/core";
import { ERROR_STATUS } from "@flash-call/core/constants";

/**
 * The `error.message` the mock answers each documented code with when nothing more specific applies. Flashduty
 * does not document its wording, so these are the mock's own; each code's status comes from the spec
 * (`ERROR_STATUS`). Typed over the generated `ErrorCode`: a code added to the spec needs a message here.
 */
export const ERROR_MESSAGES = {
  InvalidParameter: "invalid parameter",
  InvalidContentType: "content type not supported",
  MethodNotAllowed: "method not allowed",
  Unauthorized: "authentication failed",
  AccessDenied: "access denied",
  RequestTooFrequently: "request too frequently",
  RouteNotFound: "route not found",
  ResourceNotFound: "resource not purchased",
  NoLicense: "not enough licenses",
  InternalError: "internal error",
} as const satisfies Record<ErrorCode, string>;

/** Whether `code` is one of Flashduty's documented error codes (the spec's `ErrorCode` enum). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}
