export { type CreateClientOptions, createClient, DEFAULT_BASE_URL, type FlashdutyClient } from "./client.js";
export type { components, operations, paths } from "./generated/schema.js";
export { CHANGE_PUSH_PATH, PUSH_PATH } from "./generated/spec-data.js";
export type {
  AlertEvent,
  AlertImage,
  ChangeEvent,
  ChangePushSuccess,
  ChangeStatus,
  ErrorCode,
  EventStatus,
  PushFailure,
  PushSuccess,
} from "./types.js";
