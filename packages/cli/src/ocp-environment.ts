/** The environment an OCP alarm arrives in (usually `process.env`). */
export type OcpEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * What Node reads in place of each byte sequence of the environment that is not UTF-8: OCP running in a GBK
 * locale hands its Chinese values over as GBK, and they arrive as this character, with no way back to the bytes.
 */
const REPLACEMENT_CHARACTER = "\uFFFD";

/** How to get OCP's values as UTF-8, the one encoding the environment is read in. */
const UTF8_ADVICE =
  "OCP wrote it in another encoding (GBK?); run OCP in a UTF-8 locale (e.g. LANG=zh_CN.UTF-8) so its values arrive intact";

/** An own string property of the environment: `{constructor}` in a title template names no variable. */
function variable(env: OcpEnvironment, name: string): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value: unknown = env[name];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * An OCP variable's value: its own name's, else its upper-case name's (`ALARM_ID`), each only when not blank. A
 * blank or unset variable is `undefined`.
 *
 * @example
 * readOcpVariable({ alarm_id: " ", ALARM_ID: "42" }, "alarm_id"); // "42"
 */
export function readOcpVariable(env: OcpEnvironment, name: string): string | undefined {
  return variable(env, name) ?? variable(env, name.toUpperCase());
}

/**
 * Whether a value holds what Node read in place of bytes that are not UTF-8 (see {@link UTF8_ADVICE}).
 *
 * @example
 * isNotUtf8("\uFFFD\uFFFD"); // true
 */
export function isNotUtf8(value: string): boolean {
  return value.includes(REPLACEMENT_CHARACTER);
}

/**
 * Why an `alarm_status` that is not UTF-8 cannot be matched, and what to do: mapping it would not help, as the
 * bytes are lost before flash-call reads them.
 *
 * @example
 * notUtf8Status(); // "alarm_status is not UTF-8 text: …"
 */
export function notUtf8Status(): string {
  return `alarm_status is not UTF-8 text: its bytes that are not were read as U+FFFD, so it matches no status; ${UTF8_ADVICE}`;
}

/**
 * One warning line for each variable of `names` that is read differently from what OCP set: set in both
 * spellings (`alarm_status`, `ALARM_STATUS`) to different values, of which only the lower-case one is sent; or
 * not UTF-8 text, sent with U+FFFD in place of what could not be read. Lines name variables, never values.
 *
 * @example
 * ocpVariableWarnings({ alarm_id: "1", ALARM_ID: "2" }, ["alarm_id"]);
 * // ["OCP variables alarm_id and ALARM_ID are both set, to different values; sending alarm_id's, not ALARM_ID's"]
 */
export function ocpVariableWarnings(env: OcpEnvironment, names: Iterable<string>): string[] {
  const warnings: string[] = [];
  for (const name of names) {
    const upperName = name.toUpperCase();
    const own = variable(env, name);
    const upper = upperName === name ? undefined : variable(env, upperName);
    if (own !== undefined && upper !== undefined && own !== upper) {
      warnings.push(
        `OCP variables ${name} and ${upperName} are both set, to different values; sending ${name}'s, not ${upperName}'s`,
      );
    }
    const value = own ?? upper;
    if (value !== undefined && isNotUtf8(value)) {
      warnings.push(
        `OCP variable ${own === undefined ? upperName : name} is not UTF-8 text: its bytes that are not were read as U+FFFD and are sent so; ${UTF8_ADVICE}`,
      );
    }
  }
  return warnings;
}
