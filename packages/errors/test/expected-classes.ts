import type { ErrorCode } from "@flash-call/core";
import {
  AccessDeniedError,
  type FlashdutyApiError,
  InternalServerError,
  InvalidContentTypeError,
  InvalidParameterError,
  MethodNotAllowedError,
  NoLicenseError,
  RequestTooFrequentlyError,
  ResourceNotFoundError,
  RouteNotFoundError,
  UnauthorizedError,
} from "../src/api-errors.js";

/**
 * The class each documented code must map to, written out independently of `errorFromResponse`'s own table so
 * that the tests check the mapping rather than repeat it.
 */
export const EXPECTED_CLASSES = {
  InvalidParameter: InvalidParameterError,
  InvalidContentType: InvalidContentTypeError,
  MethodNotAllowed: MethodNotAllowedError,
  Unauthorized: UnauthorizedError,
  AccessDenied: AccessDeniedError,
  RequestTooFrequently: RequestTooFrequentlyError,
  RouteNotFound: RouteNotFoundError,
  ResourceNotFound: ResourceNotFoundError,
  NoLicense: NoLicenseError,
  InternalError: InternalServerError,
} satisfies Record<ErrorCode, typeof FlashdutyApiError>;
