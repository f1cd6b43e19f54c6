/**
 * Sets `name` as an own, enumerable data property of `target`, whatever the name: unlike `target[name] = value`,
 * a name of `__proto__` does not replace (or, for a string value, silently fail to replace) the object's
 * prototype, so a label called `__proto__` stays a label that `Object.entries`, spreading and `JSON.stringify`
 * all see. Names like `constructor` or `toString` shadow the inherited ones as ordinary properties.
 *
 * @example
 * const labels: Record<string, string> = {};
 * setOwnProperty(labels, "__proto__", "x");
 * JSON.stringify(labels); // '{"__proto__":"x"}'
 */
export function setOwnProperty<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Reads an own property only: `undefined` for a name the object merely inherits (`constructor`, `toString`,
 * `__proto__` on a plain object), so a lookup table keyed by user input never answers with a function.
 *
 * @example
 * ownProperty({ critical: "Critical" }, "constructor"); // undefined
 */
export function ownProperty<T>(source: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(source, name) ? source[name] : undefined;
}
