import type { AlertEvent, AlertImage } from "@flash-call/core";
import type { SchemaAdjustment, SchemaIssue } from "./schema-validation.js";

/**
 * Flashduty's rules that a JSON Schema cannot say, applied after schema validation:
 * an `Ok` event must carry `alert_key`, and one image is kept per distinct `alt` (the first; a missing `alt`
 * counts as the empty one). `schemaAdjustments` are the schema validation's: an image it discarded is not in
 * `event.images`, and a discarded duplicate is named by its index as sent, as the schema's adjustments name theirs.
 */
export function applyEventRules(
  event: AlertEvent,
  schemaAdjustments: readonly SchemaAdjustment[] = [],
): {
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

  const sentIndexes = indexesAsSent(event.images.length, schemaAdjustments);
  const seenAlts = new Set<string>();
  const images: AlertImage[] = [];
  event.images.forEach((image, index) => {
    const alt = image.alt ?? "";
    if (seenAlts.has(alt)) {
      adjustments.push({ path: `images[${sentIndexes[index]}]`, action: "discarded" });
      return;
    }
    seenAlts.add(alt);
    images.push(image);
  });
  return { event: { ...event, images }, issues, adjustments };
}

/** The index as sent of each image the schema kept, skipping those it discarded. */
function indexesAsSent(keptCount: number, schemaAdjustments: readonly SchemaAdjustment[]): number[] {
  const discarded = new Set<string>();
  for (const adjustment of schemaAdjustments) {
    if (adjustment.action === "discarded") discarded.add(adjustment.path);
  }
  const indexes: number[] = [];
  for (let sent = 0; indexes.length < keptCount; sent++) {
    if (!discarded.has(`images[${sent}]`)) indexes.push(sent);
  }
  return indexes;
}
