// The msw-free entry point: importable where msw is not installed.
export type { AlertRecord } from "./alert-store.js";
export type { Fault } from "./fault.js";
export type { EventListener, MockRecords } from "./mock-core.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./mock-server.js";
export type { ChaosOptions, MockOptions } from "./options.js";
export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from "./rate-limiter.js";
export type { EventAdjustment, ReceivedEvent, RecordedRequest } from "./received-event.js";
export { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORDS } from "./record-limit.js";
export { type RenderedTitle, renderTitle, type TitleSource } from "./title-rule.js";
