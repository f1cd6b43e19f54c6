export type { AlertRecord } from "./alert-store.js";
export type { ChangeListener, ChangeRecord, ReceivedChange } from "./change-store.js";
export type { Fault } from "./fault.js";
export type { EventListener, MockRecords } from "./mock-core.js";
export { createMockFlashduty, type MockFlashduty, type MockFlashdutyOptions } from "./mock-flashduty.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./mock-server.js";
export type { ChaosOptions, MockOptions } from "./options.js";
export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from "./rate-limiter.js";
export type { ReceivedEvent, RecordedRequest } from "./received-event.js";
