import type { ChangeStatus } from "@flash-call/core";
import { CHANGE_STATUSES } from "@flash-call/core/constants";
import type { FlashCallChange } from "flash-call";
import type { ChangeValues } from "./args.js";
import { didYouMean } from "./did-you-mean.js";
import { parseEventTime } from "./event-time.js";
import { parseLabelFlags } from "./label-flag.js";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

/**
 * Normalises `--status` of a change case-insensitively to Flashduty's spelling (`done` → `Done`); anything else
 * is a {@link UsageError} listing the statuses, with a "did you mean" when one is close.
 *
 * @example
 * normaliseChangeStatus("processing"); // "Processing"
 */
export function normaliseChangeStatus(status: string): ChangeStatus {
  const given = status.trim().toLowerCase();
  const known = CHANGE_STATUSES.find((name) => name.toLowerCase() === given);
  if (known !== undefined) return known;
  const near = didYouMean(status.trim(), CHANGE_STATUSES);
  throw new UsageError(
    `--status ${quoteInput(status)} is not one of ${CHANGE_STATUSES.join(", ")}${near === undefined ? "" : `; did you mean ${near}?`}`,
    "change",
  );
}

/**
 * Builds a change event from `change`/`deploy` flags; `--title` and `--change-key` are required.
 *
 * @example
 * changeFromFlags({ title: "Deploy v2", "change-key": "deploy-42", label: ["env=prod"] }, "Done", "change");
 * // { title: "Deploy v2", change_status: "Done", change_key: "deploy-42", labels: { env: "prod" } }
 */
export function changeFromFlags(
  values: Omit<ChangeValues, "status" | "file">,
  status: ChangeStatus,
  command: "change" | "deploy",
): FlashCallChange {
  if (values.title === undefined) throw new UsageError("--title is required", command);
  if (values["change-key"] === undefined) {
    throw new UsageError(
      "--change-key is required (the change's id, e.g. a ticket or pipeline number)",
      command,
    );
  }
  const change: FlashCallChange = {
    title: values.title,
    change_status: status,
    change_key: values["change-key"],
  };
  if (values.description !== undefined) change.description = values.description;
  if (values.link !== undefined) change.link = values.link;
  if (values.label !== undefined) change.labels = parseLabelFlags(values.label);
  if (values["event-time"] !== undefined) change.event_time = parseEventTime(values["event-time"]);
  return change;
}
