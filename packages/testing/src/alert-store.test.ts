import { maskKey } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { type AlertRecord, recordAlertEvent } from "./alert-store.js";
import type { ReceivedEvent } from "./received-event.js";

const event = (status: ReceivedEvent["event_status"], at: number, title = "disk full"): ReceivedEvent => ({
  title_rule: title,
  event_status: status,
  alert_key: "k1",
  request_id: `r${at}`,
  received_at: at,
  integration: maskKey("alert-store-test-integration-key"),
  rendered_title: { text: title, form: "plain" },
  adjustments: [],
});

describe("alert lifecycle", () => {
  test("opens, updates, resolves, and re-opens as a fresh alert", () => {
    const alerts = new Map<string, AlertRecord>();
    recordAlertEvent(alerts, event("Critical", 1));
    recordAlertEvent(alerts, event("Warning", 2, "disk almost full"));
    expect(alerts.get("k1")).toMatchObject({ status: "open", title_rule: "disk almost full", opened_at: 1 });
    expect(alerts.get("k1")?.events).toHaveLength(2);

    recordAlertEvent(alerts, event("Ok", 3));
    expect(alerts.get("k1")).toMatchObject({ status: "resolved", resolved_at: 3 });
    recordAlertEvent(alerts, event("Ok", 4));
    expect(alerts.get("k1")).toMatchObject({ status: "resolved", resolved_at: 3 });

    recordAlertEvent(alerts, event("Critical", 5));
    const reopened = alerts.get("k1");
    expect(reopened).toMatchObject({ status: "open", opened_at: 5 });
    expect(reopened?.resolved_at).toBeUndefined();
    expect(reopened?.events).toHaveLength(1);
  });

  test("an Ok for an unknown alert changes nothing", () => {
    const alerts = new Map<string, AlertRecord>();
    recordAlertEvent(alerts, event("Ok", 1));
    expect(alerts.size).toBe(0);
  });
});
