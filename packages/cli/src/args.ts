import type { ParseArgsConfig } from "node:util";
import { didYouMean } from "./did-you-mean.js";
import { parseLongOptions } from "./long-options.js";
import { builtin } from "./node-builtin.js";
import { quoteInput } from "./quote-input.js";
import { UsageError } from "./usage-error.js";

// Read when first called: `util.parseArgs` is a getter that loads its module.
const parseArgs: typeof import("node:util").parseArgs = (config) =>
  (builtin("node:util") as typeof import("node:util")).parseArgs(config);

const CONNECTION = {
  "push-url": { type: "string" },
  key: { type: "string" },
  "base-url": { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  spool: { type: "string" },
  redis: { type: "string" },
} as const;

const OUTPUT = {
  json: { type: "boolean" },
  "dry-run": { type: "boolean", short: "n" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

const PAYLOAD = {
  title: { type: "string", short: "t" },
  "alert-key": { type: "string", short: "k" },
  description: { type: "string", short: "d" },
  label: { type: "string", short: "l", multiple: true },
  image: { type: "string", multiple: true },
  "event-time": { type: "string" },
} as const;

const PUSH = {
  ...CONNECTION,
  ...OUTPUT,
  ...PAYLOAD,
  status: { type: "string", short: "s" },
  file: { type: "string", short: "f" },
} as const;
const RESOLVE = { ...CONNECTION, ...OUTPUT, ...PAYLOAD } as const;
const OCP = {
  ...CONNECTION,
  ...OUTPUT,
  tz: { type: "string" },
  "status-map": { type: "string", multiple: true },
  "level-map": { type: "string", multiple: true },
  title: { type: "string", short: "t" },
} as const;
const FLUSH = {
  ...CONNECTION,
  ...OUTPUT,
  "list-set-aside": { type: "boolean" },
  "retry-set-aside": { type: "boolean" },
} as const;
const CHANGE_PAYLOAD = {
  title: { type: "string", short: "t" },
  "change-key": { type: "string", short: "k" },
  link: { type: "string" },
  description: { type: "string", short: "d" },
  label: { type: "string", short: "l", multiple: true },
} as const;
const CHANGE = {
  ...CONNECTION,
  ...OUTPUT,
  ...CHANGE_PAYLOAD,
  status: { type: "string", short: "s" },
  "event-time": { type: "string" },
  file: { type: "string", short: "f" },
} as const;
const DEPLOY = { ...CONNECTION, ...OUTPUT, ...CHANGE_PAYLOAD } as const;
const MOCK = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "max-records": { type: "string" },
  "max-record-bytes": { type: "string" },
  "rate-limit": { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Each command's flags: the one table its parser and {@link askedOutput} read. */
const OPTIONS_OF: Readonly<Record<CommandName, Options>> = {
  push: PUSH,
  resolve: RESOLVE,
  change: CHANGE,
  deploy: DEPLOY,
  ocp: OCP,
  flush: FLUSH,
  mock: MOCK,
};

/**
 * What is wrong with `args`, in the CLI's words: an unknown flag (with a "did you mean" among the command's
 * flags), a flag without its value, a switch given a value. Node's own texts are not shown: one of them ends
 * with an unbalanced quote, and none knows the command's flags.
 */
function flagProblem(error: unknown, args: string[], options: Options): string {
  let tokens: ReturnType<typeof parseArgs>["tokens"] = [];
  try {
    ({ tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }));
  } catch {
    // Not strict, so not expected to throw; Node's own text below is then the best there is.
  }
  for (const token of tokens ?? []) {
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    const flag = `--${token.name}`;
    if (option === undefined) {
      const flags = Object.keys(options).map((name) => `--${name}`);
      const near = token.rawName.startsWith("--") ? didYouMean(token.rawName, flags) : undefined;
      return `unknown option ${quoteInput(token.rawName)}${near === undefined ? "" : `; did you mean ${near}?`}`;
    }
    if (option.type === "boolean" && token.value !== undefined) return `${flag} takes no value`;
    if (option.type === "string" && token.value === undefined) return `${flag} needs a value`;
  }
  // parseArgs errors are ERR_PARSE_ARGS_*; the way out of an ambiguous value (`--event-time=-1` for a value
  // starting with a dash) is on their last line: keep every line, joined.
  return error instanceof Error ? error.message.split("\n").join(" ") : String(error);
}

function parse<const Given extends Options>(args: string[], options: Given, command: CommandName) {
  // Long options only (what scripts write): read without parseArgs, to the same values (see parseLongOptions).
  const plain = parseLongOptions(args, options);
  if (plain !== undefined)
    return plain as unknown as ReturnType<
      typeof parseArgs<{ args: string[]; options: Given; strict: true; allowPositionals: true }>
    >;
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(flagProblem(error, args, options), command);
  }
}

const parsePush = (args: string[]) => parse(args, PUSH, "push");
const parseResolve = (args: string[]) => parse(args, RESOLVE, "resolve");
const parseOcp = (args: string[]) => parse(args, OCP, "ocp");
const parseFlush = (args: string[]) => parse(args, FLUSH, "flush");
const parseMock = (args: string[]) => parse(args, MOCK, "mock");
const parseChange = (args: string[]) => parse(args, CHANGE, "change");
const parseDeploy = (args: string[]) => parse(args, DEPLOY, "deploy");

/** Parsed `push` flags. */
export type PushValues = ReturnType<typeof parsePush>["values"];
/** Parsed `resolve` flags. */
export type ResolveValues = ReturnType<typeof parseResolve>["values"];
/** Parsed `ocp` flags. */
export type OcpValues = ReturnType<typeof parseOcp>["values"];
/** Parsed `flush` flags. */
export type FlushValues = ReturnType<typeof parseFlush>["values"];
/** Parsed `mock` flags. */
export type MockValues = ReturnType<typeof parseMock>["values"];
/** Parsed `change` flags. */
export type ChangeValues = ReturnType<typeof parseChange>["values"];
/** Parsed `deploy` flags (the command after `--` is apart). */
export type DeployValues = ReturnType<typeof parseDeploy>["values"];
/** Flags every sending command has (connection, output). */
export type CommonValues = FlushValues;

/** The command names, in help order. */
export const COMMANDS = ["push", "resolve", "change", "deploy", "ocp", "flush", "mock"] as const;
/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** What the command line asks for. */
export type CommandLine =
  | { kind: "help"; command?: CommandName }
  | { kind: "version" }
  | { kind: "push"; values: PushValues }
  | { kind: "resolve"; values: ResolveValues }
  | { kind: "ocp"; values: OcpValues }
  | { kind: "flush"; values: FlushValues }
  | { kind: "mock"; values: MockValues }
  | { kind: "change"; values: ChangeValues }
  | { kind: "deploy"; values: DeployValues; command: string[] };

function isCommand(name: string | undefined): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name ?? "");
}

function unknownCommand(name: string): string {
  const near = didYouMean(name, COMMANDS);
  const commands = COMMANDS.join(", ");
  return near === undefined
    ? `unknown command ${quoteInput(name)}; commands: ${commands}`
    : `unknown command ${quoteInput(name)}; did you mean ${near}? (commands: ${commands})`;
}

function noPositionals(command: CommandName, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${quoteInput(positionals[0] ?? "")}`, command);
  }
}

/**
 * Parses `flash-call`'s arguments (without `node` and the script) with `node:util` `parseArgs`, strictly:
 * an unknown flag or a missing value is a {@link UsageError} (exit 2).
 *
 * @example
 * parseCommandLine(["push", "--title", "disk full", "--status", "Critical"]);
 * // { kind: "push", values: { title: "disk full", status: "Critical" } }
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") return { kind: "help" };
  if (first === "--version" || first === "-v") return { kind: "version" };
  if (first === "help") {
    const topic = rest[0];
    if (topic === undefined) return { kind: "help" };
    if (!isCommand(topic)) throw new UsageError(unknownCommand(topic));
    return { kind: "help", command: topic };
  }
  if (!isCommand(first)) throw new UsageError(unknownCommand(first));
  const args = [...rest];
  switch (first) {
    case "push": {
      const { values, positionals } = parsePush(args);
      // `flash-call push -` reads stdin, like `--file -`.
      if (positionals.length === 1 && positionals[0] === "-" && values.file === undefined) {
        values.file = "-";
        positionals.length = 0;
      }
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "push", values };
    }
    case "resolve": {
      const { values, positionals } = parseResolve(args);
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "resolve", values };
    }
    case "ocp": {
      const { values, positionals } = parseOcp(args);
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "ocp", values };
    }
    case "flush": {
      const { values, positionals } = parseFlush(args);
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "flush", values };
    }
    case "mock": {
      const { values, positionals } = parseMock(args);
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "mock", values };
    }
    case "change": {
      const { values, positionals } = parseChange(args);
      if (positionals.length === 1 && positionals[0] === "-" && values.file === undefined) {
        values.file = "-";
        positionals.length = 0;
      }
      noPositionals(first, positionals);
      return special(first, values) ?? { kind: "change", values };
    }
    case "deploy": {
      // The deploy's own flags come before `--`; everything after it is the command, passed on untouched.
      const split = args.indexOf("--");
      const { values, positionals } = parseDeploy(split === -1 ? args : args.slice(0, split));
      noPositionals(first, positionals);
      const command = split === -1 ? [] : args.slice(split + 1);
      return special(first, values) ?? { kind: "deploy", values, command };
    }
  }
}

/**
 * What output a command line asks for (`--json`, `--quiet`/`-q`), read as its command's parser reads it, for a
 * command line that could not be parsed: a script that asked for JSON reads stdout for it, so a usage error must
 * be JSON there too. A word that is a flag's value (`--title --json`), or after `--`, asks for nothing; `-nq`
 * asks for quiet. Without a known command there is no table of flags: then every word before `--` counts.
 *
 * @example
 * askedOutput(["push", "--title=--json"]); // { json: false, quiet: false }: "--json" is the title
 * askedOutput(["push", "--title", "--json"]); // { json: true, quiet: false }: refused as ambiguous, so a flag
 * askedOutput(["push", "--bogus", "--json"]); // { json: true, quiet: false }
 */
export function askedOutput(argv: readonly string[]): { json: boolean; quiet: boolean } {
  const [first, ...rest] = argv;
  const asked = { json: false, quiet: false };
  if (isCommand(first)) {
    // As parseCommandLine splits a deploy's own flags from its command.
    const end = first === "deploy" ? rest.indexOf("--") : -1;
    const args = end === -1 ? rest : rest.slice(0, end);
    try {
      // Not strict: the tokens are those the strict parse reads, without stopping at the first problem.
      const { tokens } = parseArgs({
        args,
        options: OPTIONS_OF[first],
        strict: false,
        allowPositionals: true,
        tokens: true,
      });
      for (const token of tokens ?? []) {
        if (token.kind !== "option") continue;
        if (token.name === "json") asked.json = true;
        if (token.name === "quiet") asked.quiet = true;
        // A separate value starting with a dash is refused by the strict parse as ambiguous (`--title --json`:
        // a title left empty): the word is then taken for the flag it spells, as the user most likely meant.
        const word = token.inlineValue === false ? token.value : undefined;
        if (word === "--json") asked.json = true;
        if (word === "--quiet" || word === "-q") asked.quiet = true;
      }
      return asked;
    } catch {
      // Not strict, so not expected to throw: the words below are then the best there is.
    }
  }
  const end = argv.indexOf("--");
  const words = end === -1 ? argv : argv.slice(0, end);
  return { json: words.includes("--json"), quiet: words.includes("--quiet") || words.includes("-q") };
}

function special(
  command: CommandName,
  values: { help?: boolean; version?: boolean },
): CommandLine | undefined {
  if (values.help) return { kind: "help", command };
  if (values.version) return { kind: "version" };
  return undefined;
}

/**
 * Parses a non-negative integer flag (`--timeout`, `--retries`, `--port`) up to `max` (default: the largest
 * integer a number holds exactly); `undefined` stays `undefined`. Anything else is a {@link UsageError}.
 *
 * @example
 * integerFlag("--retries", "3", "push"); // 3
 * integerFlag("--port", "70000", "mock", 65_535); // throws: --port must be at most 65535
 */
export function integerFlag(
  option: string,
  value: string | undefined,
  command: CommandName,
  max: number = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`${option} needs a whole number, got ${quoteInput(value)}`, command);
  }
  const number = Number(value.trim());
  if (number > max)
    throw new UsageError(`${option} must be at most ${max}, got ${quoteInput(value)}`, command);
  return number;
}

/**
 * Parses an integer flag that must be 1 or more (`--max-records`, `--max-record-bytes`): as {@link integerFlag}
 * with its default limit (a blank, negative or fractional value, or one a number cannot hold exactly, is
 * refused), and 0 too: a limit of nothing would keep nothing. `undefined` stays `undefined`.
 *
 * @throws UsageError naming the flag and the value given
 * @example
 * positiveIntegerFlag("--max-records", "500", "mock"); // 500
 * positiveIntegerFlag("--max-records", "0", "mock"); // throws: --max-records must be at least 1, got "0"
 */
export function positiveIntegerFlag(
  option: string,
  value: string | undefined,
  command: CommandName,
): number | undefined {
  const number = integerFlag(option, value, command);
  if (number === 0) {
    throw new UsageError(`${option} must be at least 1, got ${quoteInput(value ?? "")}`, command);
  }
  return number;
}
