/** A JSON Schema node, as the spec's generated `ALERT_EVENT_SCHEMA` holds them. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Something in a payload the server refuses. */
export interface SchemaIssue {
  /** Where, e.g. `title_rule`, `labels.host`, `images[0].src`; `body` for the payload itself. */
  path: string;
  message: string;
}

/** Something the server changed instead of refusing, per the field's `x-flashduty-overflow`. */
export interface SchemaAdjustment {
  path: string;
  action: "truncated" | "discarded";
  /** For a truncation: the length sent and the length kept, in code points. */
  before?: number;
  after?: number;
}

/** The outcome of {@link validateAgainstSchema}. */
export interface SchemaValidationResult {
  /** The payload as the server keeps it: over-long values truncated, discarded items removed. */
  value: unknown;
  issues: SchemaIssue[];
  adjustments: SchemaAdjustment[];
}

/** What the server does with a value over its limit, from the spec's `x-flashduty-overflow`. */
type Overflow = "truncate" | "discard" | "reject";

const DISCARD: unique symbol = Symbol("discard");

interface WalkContext {
  issues: SchemaIssue[];
  adjustments: SchemaAdjustment[];
}

/**
 * Validates `value` against a JSON Schema the way Flashduty treats a push: keywords `type`, `enum`, `required`,
 * `properties`, `additionalProperties`, `propertyNames`, `maxProperties`, `items`, `minItems`, `maxItems`,
 * `minLength`, `maxLength`, `pattern`, `minimum` and `maximum`. A value over `maxLength` is truncated, discarded
 * (with the array item holding it) or rejected according to `x-flashduty-overflow` (absent means reject).
 * Lengths count Unicode code points, as JSON Schema does.
 *
 * Walks the schema generically, so a limit added to the spec is enforced without touching this code.
 *
 * @example
 * ```ts
 * const { value, issues } = validateAgainstSchema(body, ALERT_EVENT_SCHEMA);
 * ```
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema): SchemaValidationResult {
  const context: WalkContext = { issues: [], adjustments: [] };
  const result = walk(value, schema, "", false, context);
  return {
    value: result === DISCARD ? undefined : result,
    issues: context.issues,
    adjustments: context.adjustments,
  };
}

function walk(
  value: unknown,
  schema: JsonSchema,
  path: string,
  isArrayItem: boolean,
  context: WalkContext,
): unknown | typeof DISCARD {
  const issue = (message: string) => context.issues.push({ path: path === "" ? "body" : path, message });

  const expected = schema.type;
  if (expected !== undefined) {
    const types = Array.isArray(expected) ? (expected as string[]) : [expected as string];
    if (!types.some((type) => hasType(value, type))) {
      issue(`must be ${types.map(article).join(" or ")}, got ${describeType(value)}`);
      return value;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    issue(
      `must be one of ${schema.enum.map(String).join(", ")} (case-sensitive), got ${JSON.stringify(value)}`,
    );
    return value;
  }
  if (typeof value === "string") return walkString(value, schema, path, issue, context);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      issue(`must be at least ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum)
      issue(`must be at most ${schema.maximum}`);
    return value;
  }
  if (Array.isArray(value)) return walkArray(value, schema, path, issue, context);
  if (isPlainObject(value)) return walkObject(value, schema, path, isArrayItem, issue, context);
  return value;
}

function walkString(
  value: string,
  schema: JsonSchema,
  path: string,
  issue: (message: string) => void,
  context: WalkContext,
): string | typeof DISCARD {
  const codePoints = Array.from(value);
  if (typeof schema.minLength === "number" && codePoints.length < schema.minLength) {
    issue(schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`);
  }
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
    issue(`must match ${schema.pattern}`);
  }
  if (typeof schema.maxLength === "number" && codePoints.length > schema.maxLength) {
    const overflow = overflowOf(schema);
    if (overflow === "truncate") {
      context.adjustments.push({
        path,
        action: "truncated",
        before: codePoints.length,
        after: schema.maxLength,
      });
      return codePoints.slice(0, schema.maxLength).join("");
    }
    if (overflow === "discard") return DISCARD;
    issue(`must be at most ${schema.maxLength} characters, got ${codePoints.length}`);
  }
  return value;
}

function walkArray(
  value: readonly unknown[],
  schema: JsonSchema,
  path: string,
  issue: (message: string) => void,
  context: WalkContext,
): unknown[] {
  if (typeof schema.minItems === "number" && value.length < schema.minItems) {
    issue(`must have at least ${schema.minItems} items`);
  }
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    issue(`must have at most ${schema.maxItems} items, got ${value.length}`);
  }
  const itemSchema = isPlainObject(schema.items) ? schema.items : undefined;
  if (itemSchema === undefined) return [...value];
  const kept: unknown[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const result = walk(item, itemSchema, itemPath, true, context);
    if (result === DISCARD) context.adjustments.push({ path: itemPath, action: "discarded" });
    else kept.push(result);
  });
  return kept;
}

function walkObject(
  value: Readonly<Record<string, unknown>>,
  schema: JsonSchema,
  path: string,
  isArrayItem: boolean,
  issue: (message: string) => void,
  context: WalkContext,
): Record<string, unknown> | typeof DISCARD {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const keys = Object.keys(value);
  const join = (key: string) => (path === "" ? key : `${path}.${key}`);

  if (Array.isArray(schema.required)) {
    for (const key of schema.required as string[]) {
      if (!Object.hasOwn(value, key)) context.issues.push({ path: join(key), message: "is required" });
    }
  }
  if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
    // Only "reject" makes sense for a count: there is no principled entry to cut.
    issue(`must have at most ${schema.maxProperties} entries, got ${keys.length}`);
  }
  const nameSchema = isPlainObject(schema.propertyNames) ? schema.propertyNames : undefined;

  const kept: Record<string, unknown> = {};
  let discarded = false;
  for (const key of keys) {
    const childPath = join(key);
    if (nameSchema !== undefined) {
      const nameContext: WalkContext = { issues: [], adjustments: [] };
      walk(key, nameSchema, childPath, false, nameContext);
      for (const nameIssue of nameContext.issues) {
        context.issues.push({ path: childPath, message: `key ${nameIssue.message}` });
      }
    }
    const childSchema = Object.hasOwn(properties, key) ? properties[key] : schema.additionalProperties;
    if (childSchema === false) {
      context.issues.push({ path: childPath, message: "is not a known field" });
      continue;
    }
    if (!isPlainObject(childSchema)) {
      setOwn(kept, key, value[key]);
      continue;
    }
    const result = walk(value[key], childSchema, childPath, false, context);
    if (result === DISCARD) {
      discarded = true;
      if (!isArrayItem) context.adjustments.push({ path: childPath, action: "discarded" });
    } else {
      setOwn(kept, key, result);
    }
  }
  // A discarded value takes the array item holding it along (an image without its src is no image).
  return discarded && isArrayItem ? DISCARD : kept;
}

function overflowOf(schema: JsonSchema): Overflow {
  const overflow = schema["x-flashduty-overflow"];
  return overflow === "truncate" || overflow === "discard" ? overflow : "reject";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    default:
      return true;
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Sets an own property even for a name like "__proto__", which plain assignment would turn into a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
