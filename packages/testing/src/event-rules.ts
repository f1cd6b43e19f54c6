import type { AlertEvent, AlertImage } from "@flash-call/core";
import type { SchemaAdjustment, SchemaIssue } from "./schema-validation.js";

/**
 * Flashduty's rules that a JSON Schema cannot say, applied after schema validation:
 * an `Ok` event must carry `alert_key`, and one image is kept per distinct `alt` (the first; a missing `alt`
 * counts as the empty one).
 */
export function applyEventRules(event: AlertEvent): {
  event: AlertEvent;
  issues: SchemaIssue[];
  adjustments: SchemaAdjustment[];
} {
  const issues: SchemaIssue[] = [];
  const adjustments: SchemaAdjustment[] = [];
  if (event.event_status === "Ok" && event.alert_key === undefined) {
    issues.push({ path: "alert_key", message: "is required when event_status is Ok" });
  }
  if (event.images === undefined) return { event, issues, adjustments };

  const seenAlts = new Set<string>();
  const images: AlertImage[] = [];
  event.images.forEach((image, index) => {
    const alt = image.alt ?? "";
    if (seenAlts.has(alt)) {
      adjustments.push({ path: `images[${index}]`, action: "discarded" });
      return;
    }
    seenAlts.add(alt);
    images.push(image);
  });
  return { event: { ...event, images }, issues, adjustments };
}
