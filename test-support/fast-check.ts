// The one place that decides how property tests (fast-check) are seeded and how long they run.
//
// By default (and in CI) every property runs with one fixed seed, printed once per property, so `pnpm test` gives
// the same cases on every run and machine. `pnpm test:fuzz` (FAST_CHECK_FUZZ=1) runs every property longer, with a
// random seed per test file, printed so that a failure replays with `FAST_CHECK_SEED=<seed>`.
//
// Counterexamples: every input a property ever failed on stays in the repository as an ordinary test beside the
// property, named `counterexample: …` (for example `errorFromResponse(500, '[{"toString":0}]')`), and is also
// passed to `propertyOptions(name, { examples })` so the property itself tries it first on every run. Shrunk
// values only: fast-check prints the smallest failing input.

/** The seed every property uses unless FAST_CHECK_SEED says otherwise or `pnpm test:fuzz` runs. */
export const DEFAULT_SEED = 0x5eed_f1a5;

/** How many times more cases `pnpm test:fuzz` runs than `pnpm test`, unless a property says `fuzzRuns`. */
export const FUZZ_FACTOR = 10;

/** True under `pnpm test:fuzz` (FAST_CHECK_FUZZ=1): random seeds and {@link FUZZ_FACTOR} times the runs. */
export const fuzzing = process.env.FAST_CHECK_FUZZ === "1";

/** What a property asks for: its case count in `pnpm test`, and optionally its count under `pnpm test:fuzz`. */
export interface PropertyRuns<Example = never> {
  /** Cases per run of `pnpm test`. */
  numRuns: number;
  /** Cases under `pnpm test:fuzz`. @default numRuns × FUZZ_FACTOR */
  fuzzRuns?: number;
  /** Counterexamples found before: tried first, on every run. @default [] */
  examples?: Example[];
}

/** The fast-check parameters {@link propertyOptions} gives: a seed, a case count and the kept counterexamples. */
export interface PropertyOptions<Example = never> {
  seed: number;
  numRuns: number;
  examples: Example[];
}

/** The seed of this run: FAST_CHECK_SEED when set, a random one under `pnpm test:fuzz`, else {@link DEFAULT_SEED}. */
export function chooseSeed(env: Record<string, string | undefined> = process.env): number {
  const given = env.FAST_CHECK_SEED;
  if (given !== undefined && given.trim() !== "") {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FAST_CHECK_SEED must be an integer, got "${given}"`);
    return seed | 0;
  }
  if (env.FAST_CHECK_FUZZ === "1") return (Math.random() * 0x1_0000_0000) | 0;
  return DEFAULT_SEED | 0;
}

/**
 * This test file's seed ({@link chooseSeed} once per file): every property of the file and anything else it
 * randomizes (a mock's chaos) derive from it, so FAST_CHECK_SEED replays the whole file.
 */
export const runSeed = chooseSeed();

/**
 * The parameters for one property's `fc.assert` (or `fc.sample`): the run's seed and case count, printed once
 * with how to replay or change them.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(status, body, check), propertyOptions("errorFromResponse never throws", { numRuns: 2000 }));
 * ```
 */
export function propertyOptions<Example = never>(
  name: string,
  runs: PropertyRuns<Example>,
): PropertyOptions<Example> {
  const seed = runSeed;
  const numRuns = fuzzing ? (runs.fuzzRuns ?? runs.numRuns * FUZZ_FACTOR) : runs.numRuns;
  const how = fuzzing
    ? `replay: FAST_CHECK_SEED=${seed} with the same command`
    : "set FAST_CHECK_SEED to change; pnpm test:fuzz for random seeds";
  console.info(`fast-check seed=${seed} numRuns=${numRuns} "${name}" (${how})`);
  return { seed, numRuns, examples: runs.examples ?? [] };
}
