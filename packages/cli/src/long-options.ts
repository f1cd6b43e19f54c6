/** An option as `node:util`'s `parseArgs` declares it (what {@link parseLongOptions} reads of it). */
export interface LongOption {
  type: "string" | "boolean";
  multiple?: boolean | undefined;
  short?: string | undefined;
}

/** What `parseArgs` returns for a command line of long options only: their values, no positionals. */
export interface LongOptionsResult {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * `parseArgs({ args, options, strict: true, allowPositionals: true })` for the command lines scripts write, which
 * are long options only: `--name value`, `--name=value`, a boolean `--name`. It returns what `parseArgs` would
 * (values on a null-prototype object, repeated `multiple` options in order, otherwise the last one), or
 * `undefined` for any other command line (a short option, a positional, `--`, an unknown name, a value starting
 * with `-`, a value given to a boolean), which is then `parseArgs`'s to read and report. Why: `parseArgs` costs
 * its first call more than half a millisecond (it loads and sets up its modules), paid by every `flash-call push`.
 *
 * @example
 * ```ts
 * parseLongOptions(["--title", "disk full", "--json"], { title: { type: "string" }, json: { type: "boolean" } });
 * // { values: { title: "disk full", json: true }, positionals: [] }
 * parseLongOptions(["-t", "disk full"], { title: { type: "string", short: "t" } }); // undefined
 * ```
 */
export function parseLongOptions(
  args: readonly string[],
  options: Readonly<Record<string, LongOption>>,
): LongOptionsResult | undefined {
  const values: LongOptionsResult["values"] = Object.create(null);
  for (let at = 0; at < args.length; at++) {
    const argument = args[at] ?? "";
    if (!argument.startsWith("--") || argument.length === 2) return undefined;
    const equals = argument.indexOf("=");
    const name = argument.slice(2, equals === -1 ? undefined : equals);
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (option === undefined) return undefined;
    let value: string | boolean;
    if (option.type === "boolean") {
      if (equals !== -1) return undefined;
      value = true;
    } else if (equals !== -1) {
      value = argument.slice(equals + 1);
    } else {
      const next = args[at + 1];
      if (next === undefined || next.startsWith("-")) return undefined;
      value = next;
      at++;
    }
    if (option.multiple === true) {
      const list = values[name];
      if (Array.isArray(list)) list.push(value);
      else values[name] = [value];
    } else values[name] = value;
  }
  return { values, positionals: [] };
}
