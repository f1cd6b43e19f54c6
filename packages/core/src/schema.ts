// A separate entry point: the event's JSON Schema is only needed by validators such as the mock, so the main entry
// (and every bundle built from it) does not carry it.
export { ALERT_EVENT_SCHEMA, CHANGE_EVENT_SCHEMA } from "./generated/spec-data.js";
