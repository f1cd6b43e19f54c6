import type { AlertEvent, ChangeEvent } from "@flash-call/core";
import { describe, expect, test } from "vitest";
import { eventIdentity } from "./event-identity.js";

describe("eventIdentity", () => {
  test("an alert is known by its alert_key and event_status", () => {
    const alert: AlertEvent = { title_rule: "disk full", event_status: "Critical", alert_key: "db-1" };
    expect(eventIdentity(alert)).toEqual({
      endpoint: "alert",
      keyName: "alert_key",
      key: "db-1",
      statusName: "event_status",
      status: "Critical",
    });
  });

  test("an alert without alert_key (Flashduty makes one) has no key", () => {
    expect(eventIdentity({ title_rule: "disk full", event_status: "Info" })).toMatchObject({
      endpoint: "alert",
      key: undefined,
    });
  });

  test("a change is known by its change_key and change_status", () => {
    const change: ChangeEvent = { title: "deploy v2", change_status: "Done", change_key: "deploy-42" };
    expect(eventIdentity(change)).toEqual({
      endpoint: "change",
      keyName: "change_key",
      key: "deploy-42",
      statusName: "change_status",
      status: "Done",
    });
  });
});
