export { type CreateClientOptions, createClient, DEFAULT_BASE_URL, type FlashdutyClient } from "./client.js";
export type { components, operations, paths } from "./generated/schema.js";
export { PUSH_PATH } from "./generated/spec-data.js";
export type { AlertEvent, AlertImage, ErrorCode, EventStatus, PushFailure, PushSuccess } from "./types.js";
