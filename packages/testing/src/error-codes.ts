import type { ErrorCode } from "@flash-call/core";

/** What Flashduty answers for each documented error code: the HTTP status and a default message. */
export const ERROR_RESPONSES: { readonly [code in ErrorCode]: { status: number; message: string } } = {
  InvalidParameter: { status: 400, message: "invalid parameter" },
  InvalidContentType: { status: 400, message: "content type not supported" },
  MethodNotAllowed: { status: 400, message: "method not allowed" },
  Unauthorized: { status: 401, message: "authentication failed" },
  AccessDenied: { status: 403, message: "access denied" },
  RequestTooFrequently: { status: 429, message: "request too frequently" },
  RouteNotFound: { status: 404, message: "route not found" },
  ResourceNotFound: { status: 400, message: "resource not purchased" },
  NoLicense: { status: 400, message: "not enough licenses" },
  InternalError: { status: 500, message: "internal error" },
};

/** Whether `code` is one of Flashduty's documented error codes. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_RESPONSES, code);
}
