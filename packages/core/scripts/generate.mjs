#!/usr/bin/env node
// Generates everything @flash-call/core derives from spec/flashduty.openapi.yaml:
//   src/generated/schema.ts     types, by openapi-typescript
//   src/generated/spec-data.ts  the payload schemas and limits as runtime constants
// With --check, writes nothing and exits 1 when a committed file differs from what the spec gives; `pnpm test` runs
// it first, before any task regenerates, so a stale committed file fails the run.
// With --dir <folder>, reads or writes the generated files there instead of src/generated (the drift check's test).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = join(packageDir, "..", "..", "spec", "flashduty.openapi.yaml");
const dirArgument = process.argv.indexOf("--dir");
const generatedDir =
  dirArgument === -1 ? join(packageDir, "src", "generated") : resolve(process.argv[dirArgument + 1] ?? ".");
const check = process.argv.includes("--check");

/** The one line a stale file gets: which file, and the command that fixes it. */
function reportStale(path) {
  console.error(`${relative(process.cwd(), path)} is stale: run \`pnpm generate\` and commit the result.`);
  process.exit(1);
}

const openapiTypescript = join(packageDir, "node_modules", ".bin", "openapi-typescript");
const schemaPath = join(generatedDir, "schema.ts");
const typesArgs = [specPath, "--output", schemaPath, "--root-types"];
if (check) typesArgs.push("--check");
try {
  execFileSync(openapiTypescript, typesArgs, { stdio: check ? "pipe" : "inherit" });
} catch (error) {
  if (!check) throw error;
  reportStale(schemaPath);
}

const spec = parse(readFileSync(specPath, "utf8"));
const schemas = spec.components.schemas;

/** Resolves local `$ref`s so the runtime copy is self-contained. */
function inline(node) {
  if (Array.isArray(node)) return node.map(inline);
  if (node === null || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    const name = node.$ref.replace("#/components/schemas/", "");
    return inline(schemas[name]);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
}

const alertEvent = inline(schemas.AlertEvent);
const labels = alertEvent.properties.labels;
const image = alertEvent.properties.images.items;
const limits = {
  title_rule: alertEvent.properties.title_rule.maxLength,
  alert_key: alertEvent.properties.alert_key.maxLength,
  description: alertEvent.properties.description.maxLength,
  event_time_max: alertEvent.properties.event_time.maximum,
  labels_max: labels.maxProperties,
  label_key: labels.propertyNames.maxLength,
  label_key_pattern: labels.propertyNames.pattern,
  label_value: labels.additionalProperties.maxLength,
  image_src: image.properties.src.maxLength,
  image_alt: image.properties.alt.maxLength,
  image_href: image.properties.href.maxLength,
};
for (const [name, value] of Object.entries(limits)) {
  if (value === undefined) throw new Error(`spec: limit ${name} is missing`);
}
// What the server does with a value beyond each length limit (`x-flashduty-overflow`), keyed like LIMITS.
const overflow = {
  title_rule: alertEvent.properties.title_rule["x-flashduty-overflow"],
  alert_key: alertEvent.properties.alert_key["x-flashduty-overflow"],
  description: alertEvent.properties.description["x-flashduty-overflow"],
  labels_max: labels["x-flashduty-overflow"],
  label_value: labels.additionalProperties["x-flashduty-overflow"],
  image_src: image.properties.src["x-flashduty-overflow"],
  image_alt: image.properties.alt["x-flashduty-overflow"],
  image_href: image.properties.href["x-flashduty-overflow"],
};
for (const [name, value] of Object.entries(overflow)) {
  if (!["truncate", "discard", "reject"].includes(value)) {
    throw new Error(
      `spec: x-flashduty-overflow of ${name} is ${value}; expected truncate, discard or reject`,
    );
  }
}

// The change event's limits and overflow, from its own schema: where Flashduty documents no limit (title,
// change_key, link), the spec states none and none is listed here.
const changeEvent = inline(schemas.ChangeEvent);
const changeLabels = changeEvent.properties.labels;
const changeLimits = {
  description: changeEvent.properties.description.maxLength,
  event_time_max: changeEvent.properties.event_time.maximum,
  labels_max: changeLabels.maxProperties,
  label_key: changeLabels.propertyNames.maxLength,
  label_value: changeLabels.additionalProperties.maxLength,
};
for (const [name, value] of Object.entries(changeLimits)) {
  if (value === undefined) throw new Error(`spec: change limit ${name} is missing`);
}
const changeOverflow = {
  description: changeEvent.properties.description["x-flashduty-overflow"],
  labels_max: changeLabels["x-flashduty-overflow"],
  label_value: changeLabels.additionalProperties["x-flashduty-overflow"],
};
for (const [name, value] of Object.entries(changeOverflow)) {
  if (!["truncate", "discard", "reject"].includes(value)) {
    throw new Error(
      `spec: x-flashduty-overflow of change ${name} is ${value}; expected truncate, discard or reject`,
    );
  }
}

/** The path of the operation `operationId`: the generated constants name operations, not the paths' order. */
function pathOf(operationId) {
  const found = Object.entries(spec.paths).find(([, item]) => item.post?.operationId === operationId);
  if (found === undefined) throw new Error(`spec: no POST operation ${operationId}`);
  return found[0];
}

// Each error code's HTTP status (`x-flashduty-status`) and whether Flashduty documents it as retryable
// (`x-flashduty-retryable`), keyed by code in the enum's order: a fact about the code, not a retry policy.
const errorCodes = schemas.ErrorCode.enum;
/** One `x-` map of the ErrorCode enum, checked to hold exactly the enum's codes, each value accepted by `valid`. */
function perErrorCode(extension, valid, expected) {
  const table = schemas.ErrorCode[extension];
  if (table === null || typeof table !== "object") throw new Error(`spec: ErrorCode has no ${extension} map`);
  for (const code of Object.keys(table)) {
    if (!errorCodes.includes(code))
      throw new Error(`spec: ${extension} names ${code}, which is not in the enum`);
  }
  return Object.fromEntries(
    errorCodes.map((code) => {
      if (!valid(table[code])) {
        throw new Error(`spec: ${extension} of ${code} is ${table[code]}; expected ${expected}`);
      }
      return [code, table[code]];
    }),
  );
}
const errorStatus = perErrorCode(
  "x-flashduty-status",
  (status) => Number.isInteger(status) && status >= 100 && status <= 599,
  "an HTTP status",
);
const errorRetryable = perErrorCode(
  "x-flashduty-retryable",
  (retryable) => typeof retryable === "boolean",
  "true or false",
);

const header = `/**
 * This file was generated by packages/core/scripts/generate.mjs from spec/flashduty.openapi.yaml.
 * Do not make direct changes to the file: edit the spec and run \`pnpm generate\`.
 */
`;
const source = `${header}
/** The payload limits of the push API, as the spec states them. */
export const LIMITS = ${JSON.stringify(limits, null, 2)} as const;

/** What Flashduty does with a value beyond each length limit (\`x-flashduty-overflow\`), keyed like LIMITS. */
export const OVERFLOW = ${JSON.stringify(overflow, null, 2)} as const;

/** Flashduty's documented event statuses, in the spec's order. */
export const EVENT_STATUSES = ${JSON.stringify(schemas.EventStatus.enum)} as const;

/** Flashduty's documented error codes, in the spec's order. */
export const ERROR_CODE_LIST = ${JSON.stringify(schemas.ErrorCode.enum)} as const;

/** The HTTP status Flashduty answers each error code with (\`x-flashduty-status\`), keyed like ERROR_CODE_LIST. */
export const ERROR_STATUS = ${JSON.stringify(errorStatus, null, 2)} as const;

/**
 * Whether Flashduty's documentation says a push failing with each code may be sent again (\`x-flashduty-retryable\`),
 * keyed like ERROR_CODE_LIST. A fact about the code, not a retry policy.
 */
export const ERROR_RETRYABLE = ${JSON.stringify(errorRetryable, null, 2)} as const;

/** The alert push endpoint's path. */
export const PUSH_PATH = ${JSON.stringify(pathOf("pushAlertEvent"))};

/** The change push endpoint's path. */
export const CHANGE_PUSH_PATH = ${JSON.stringify(pathOf("pushChangeEvent"))};

/** The change event's limits, as the spec states them; Flashduty documents none for title, change_key and link. */
export const CHANGE_LIMITS = ${JSON.stringify(changeLimits, null, 2)} as const;

/** What Flashduty does with a change event's value beyond each limit (\`x-flashduty-overflow\`), keyed like CHANGE_LIMITS. */
export const CHANGE_OVERFLOW = ${JSON.stringify(changeOverflow, null, 2)} as const;

/** Flashduty's documented change statuses, in the spec's order. */
export const CHANGE_STATUSES = ${JSON.stringify(schemas.ChangeStatus.enum)} as const;

/** The spec's JSON Schema of an alert event, with references inlined (used by the mock to validate like Flashduty). */
export const ALERT_EVENT_SCHEMA = ${JSON.stringify(alertEvent, null, 2)} as const;

/** The spec's JSON Schema of a change event, with references inlined (used by the mock to validate like Flashduty). */
export const CHANGE_EVENT_SCHEMA = ${JSON.stringify(changeEvent, null, 2)} as const;
`;

const dataPath = join(generatedDir, "spec-data.ts");
if (check) {
  let current = "";
  try {
    current = readFileSync(dataPath, "utf8");
  } catch {}
  if (current !== source) reportStale(dataPath);
  console.log("generated files are up to date with spec/flashduty.openapi.yaml");
} else {
  writeFileSync(dataPath, source);
}
