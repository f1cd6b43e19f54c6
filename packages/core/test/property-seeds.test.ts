// The property-test convention (test-support/fast-check.ts): a fixed, printed seed by default and in CI, random
// seeds and more cases under `pnpm test:fuzz`, FAST_CHECK_SEED to replay, and every fast-check run wired to it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations
import { propertyTestFiles, unwired } from "../../../scripts/property-tests.mjs";
import { chooseSeed, DEFAULT_SEED, FUZZ_FACTOR, runSeed } from "../../../test-support/fast-check.js";

const checkUnwired = unwired as (files: string[]) => string[];
const listPropertyTests = propertyTestFiles as () => string[];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("the seed of a run", () => {
  test("is the fixed default unless told otherwise (CI sets nothing)", () => {
    expect(chooseSeed({ CI: "true" })).toBe(DEFAULT_SEED | 0);
  });

  test("FAST_CHECK_SEED replays a run, also under pnpm test:fuzz", () => {
    expect(chooseSeed({ FAST_CHECK_SEED: "12345" })).toBe(12345);
    expect(chooseSeed({ FAST_CHECK_SEED: "-7", FAST_CHECK_FUZZ: "1" })).toBe(-7);
    expect(() => chooseSeed({ FAST_CHECK_SEED: "abc" })).toThrow(/FAST_CHECK_SEED must be an integer/);
  });

  test("pnpm test:fuzz draws a random seed", () => {
    vi.spyOn(Math, "random").mockReturnValueOnce(0.25).mockReturnValueOnce(0.75);
    const first = chooseSeed({ FAST_CHECK_FUZZ: "1" });
    const second = chooseSeed({ FAST_CHECK_FUZZ: "1" });
    expect(first).not.toBe(second);
    expect(first).not.toBe(DEFAULT_SEED | 0);
  });
});

describe("propertyOptions", () => {
  test("by default: the fixed seed and the test's case count, printed with how to change them", async () => {
    // This file runs under `pnpm test:fuzz` too: state the default environment.
    vi.stubEnv("FAST_CHECK_FUZZ", "");
    vi.stubEnv("FAST_CHECK_SEED", "");
    const printed = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const { propertyOptions } = await import("../../../test-support/fast-check.js");
    expect(propertyOptions("a property", { numRuns: 40 })).toEqual({
      seed: DEFAULT_SEED | 0,
      numRuns: 40,
      examples: [],
    });
    expect(printed).toHaveBeenCalledWith(
      `fast-check seed=${DEFAULT_SEED | 0} numRuns=40 "a property" (set FAST_CHECK_SEED to change; pnpm test:fuzz for random seeds)`,
    );
  });

  test("under pnpm test:fuzz: a random seed, more cases, and the line that replays it", async () => {
    vi.stubEnv("FAST_CHECK_FUZZ", "1");
    vi.stubEnv("FAST_CHECK_SEED", "");
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const printed = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const { propertyOptions } = await import("../../../test-support/fast-check.js");
    const options = propertyOptions("a property", { numRuns: 40 });
    expect(options.numRuns).toBe(40 * FUZZ_FACTOR);
    expect(options.seed).toBe((0.5 * 0x1_0000_0000) | 0);
    expect(printed.mock.calls[0]?.[0]).toContain(`replay: FAST_CHECK_SEED=${options.seed}`);
    expect(propertyOptions("a slow property", { numRuns: 40, fuzzRuns: 50 }).numRuns).toBe(50);
  });

  test("two runs of a property see the same cases", async () => {
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const { propertyOptions } = await import("../../../test-support/fast-check.js");
    const seen = () => {
      const values: string[] = [];
      fc.assert(
        fc.property(fc.string(), (value) => void values.push(value)),
        propertyOptions("records", { numRuns: 30 }),
      );
      return values;
    };
    expect(seen()).toEqual(seen());
  });

  test("a property that passes no seed still gets the run's seed (the vitest setup file)", () => {
    expect(fc.readConfigureGlobal().seed).toBe(runSeed);
    expect(fc.sample(fc.integer(), 20)).toEqual(fc.sample(fc.integer(), 20));
  });
});

describe("every property is wired to propertyOptions", () => {
  test("the repository's property tests are", () => {
    const files = listPropertyTests();
    expect(files).toContain("packages/errors/src/error-from-response.fuzz.test.ts");
    expect(checkUnwired(files)).toEqual([]);
  });

  test("a bare fc.assert with its own seed is named", () => {
    const directory = mkdtempSync(join(tmpdir(), "flash-call-properties-"));
    try {
      const file = join(directory, "x.test.ts");
      writeFileSync(
        file,
        'import fc from "fast-check";\nfc.assert(fc.property(fc.nat(), () => true), { seed: 42 });\n',
      );
      const [problem] = checkUnwired([file]);
      expect(problem).toContain(file);
      expect(problem).toContain("propertyOptions");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
