// A separate entry point: the spec's limits and enums are needed by validators (the SDK, the CLI, the mock) but not
// by every user of `createClient`, so the main entry stays the client alone (within its 3 kB budget).
export {
  CHANGE_LIMITS,
  CHANGE_OVERFLOW,
  CHANGE_PUSH_PATH,
  CHANGE_STATUSES,
  ERROR_CODE_LIST,
  ERROR_RETRYABLE,
  ERROR_STATUS,
  EVENT_STATUSES,
  LIMITS,
  OVERFLOW,
  PUSH_PATH,
} from "./generated/spec-data.js";
