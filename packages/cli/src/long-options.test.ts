import { parseArgs } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { type LongOption, parseLongOptions } from "./long-options.js";

const OPTIONS: Record<string, LongOption> = {
  title: { type: "string", short: "t" },
  status: { type: "string", short: "s" },
  label: { type: "string", short: "l", multiple: true },
  json: { type: "boolean" },
  "dry-run": { type: "boolean", short: "n" },
};

const nodeParse = (args: string[]) =>
  parseArgs({ args, options: OPTIONS as never, strict: true, allowPositionals: true });

// Words of command lines, ordinary and not: every kind parseLongOptions must leave to parseArgs is among them.
const WORD = fc.constantFrom(
  "--title",
  "--status",
  "--label",
  "--json",
  "--dry-run",
  "--title=disk full",
  "--label=a=b",
  "--status=",
  "--json=1",
  "--unknown",
  "--constructor",
  "--__proto__",
  "--=v",
  "--",
  "-t",
  "-n",
  "-tx",
  "-",
  "-5",
  "--5",
  "",
  "Info",
  "host=db1",
  "héllo \u0000",
);

describe("parseLongOptions", () => {
  it("reads a script's command line as parseArgs does", () => {
    const args = [
      "--title",
      "disk full",
      "--status=Info",
      "--label",
      "a=1",
      "--json",
      "--label=b=2",
      "--title",
      "",
    ];
    const plain = parseLongOptions(args, OPTIONS);
    expect(plain).toBeDefined();
    expect(plain).toStrictEqual(nodeParse(args));
    expect(Object.getPrototypeOf(plain?.values)).toBe(null);
  });

  it("leaves short options, positionals, --, unknown names and dash values to parseArgs", () => {
    for (const args of [
      ["-t", "x"],
      ["x"],
      ["--", "--title"],
      ["--nope"],
      ["--title", "-x"],
      ["--title"],
      ["--json=true"],
      ["--toString", "x"],
    ]) {
      expect(parseLongOptions(args, OPTIONS), args.join(" ")).toBeUndefined();
    }
  });

  it("gives exactly parseArgs's result whenever it gives one", () => {
    fc.assert(
      fc.property(fc.array(WORD, { maxLength: 8 }), (args) => {
        const plain = parseLongOptions(args, OPTIONS);
        if (plain === undefined) return;
        expect(plain).toStrictEqual(nodeParse(args));
      }),
      propertyOptions("gives exactly parseArgs's result whenever it gives one", { numRuns: 3000 }),
    );
  });
});
