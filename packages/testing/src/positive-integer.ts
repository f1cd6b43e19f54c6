/**
 * `value` when it is a whole number, 1 or more: the rule of the mock's numeric options (its rate limits and record
 * limits), which a 0, a fraction or NaN would turn into a mock that refuses or forgets everything.
 *
 * @param name the option as the message names it, e.g. `"rateLimit.perSecond"`
 * @throws RangeError naming the option and the value given
 * @example
 * ```ts
 * positiveInteger("maxRecords", 10_000); // 10000
 * positiveInteger("maxRecords", 0); // throws RangeError: maxRecords must be a positive integer, got 0
 * ```
 */
export function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
