import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyOptions } from "../../../test-support/fast-check.js";
import { listSpool } from "./spool-contents.js";
import {
  type SpoolNaming,
  writeAheadEntry,
  writeSpoolEntriesSync,
  writeSpoolEntry,
  writeSpoolEntrySync,
} from "./spool-write.js";

/** One write of a run: which writer, which alert, and how far the clock moved since the last (back too). */
const step = fc.record({
  writer: fc.constantFrom("behind", "ahead", "exit-one", "exit-batch"),
  alert: fc.integer({ min: 0, max: 2 }),
  clockStep: fc.integer({ min: -3_000, max: 3_000 }),
});

/** Another process's entries already in the spool when the run starts. */
const earlier = fc.array(
  fc.record({ alert: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 1, max: 20_000 }) }),
  {
    maxLength: 4,
  },
);

type Step = typeof step extends fc.Arbitrary<infer Value> ? Value : never;
type Earlier = typeof earlier extends fc.Arbitrary<infer Value> ? Value : never;

/**
 * Runs `write` in a fresh spool holding another process's `before` entries, with one run's naming; `write` returns
 * the names it wrote per alert, in the order written, and each alert's must be listed in that order.
 */
async function inRun(
  before: Earlier,
  write: (directory: string, naming: SpoolNaming) => Promise<Map<number, string[]>>,
): Promise<void> {
  const directory = join(await mkdtemp(join(tmpdir(), "flash-call-naming-")), "spool");
  // The immediate-exit writers write into a directory an earlier write of the run prepared.
  await mkdir(directory, { mode: 0o700 });
  try {
    for (const { alert, at } of before) {
      await writeSpoolEntry(directory, { event: eventOf(alert, "earlier") }, { now: at });
    }
    const written = await write(directory, { latest: new Map() });
    const listed = await listSpool(directory);
    for (const names of written.values())
      expect(listed.filter((name) => names.includes(name))).toEqual(names);
  } finally {
    await rm(join(directory, ".."), { recursive: true, force: true });
  }
}

describe("a run's spool names", () => {
  it("keep each alert's entries in the order the run wrote them, whatever the clock and the writer", async () => {
    await fc.assert(
      fc.asyncProperty(earlier, fc.array(step, { minLength: 1, maxLength: 16 }), (before, steps) =>
        inRun(before, async (directory, naming) => {
          const written = new Map<number, string[]>();
          let clock = 10_000;
          for (const [index, { writer, alert, clockStep }] of steps.entries()) {
            clock = Math.max(1, clock + clockStep);
            const entry = { event: eventOf(alert, `step ${index}`) };
            let name: string | undefined;
            if (writer === "behind") name = await writeSpoolEntry(directory, entry, { now: clock, naming });
            else if (writer === "ahead") {
              const claim = await writeAheadEntry(directory, entry, { now: clock, naming });
              await claim.release();
              name = claim.name;
            } else if (writer === "exit-one") name = writeSpoolEntrySync(directory, entry, clock, naming);
            else [name] = writeSpoolEntriesSync(directory, [entry], clock, naming);
            written.set(alert, [...(written.get(alert) ?? []), name as string]);
          }
          return written;
        }),
      ),
      propertyOptions("a run's spool names keep each alert's entries in the order written", {
        numRuns: 40,
        // Found: an immediate-exit write as the run's first (the harness had not prepared the directory then).
        examples: [
          [
            [],
            [
              { writer: "exit-batch", alert: 0, clockStep: 0 },
              { writer: "behind", alert: 0, clockStep: 0 },
            ],
          ],
        ] as [Earlier, Step[]][],
      }),
    );
  });
});

describe("a run's spool names, written concurrently", () => {
  it("keep each alert's entries in the order of the rounds that wrote them, the first reads racing", async () => {
    // Each round writes one entry of some alerts at once, as a batch's window does; an alert's rounds are in order.
    const round = fc.record({
      writers: fc.array(fc.constantFrom("behind", "ahead"), { minLength: 3, maxLength: 3 }),
      alerts: fc.subarray([0, 1, 2], { minLength: 1 }),
      clockStep: fc.integer({ min: -3_000, max: 3_000 }),
    });
    await fc.assert(
      fc.asyncProperty(earlier, fc.array(round, { minLength: 1, maxLength: 8 }), (before, rounds) =>
        inRun(before, async (directory, naming) => {
          const written = new Map<number, string[]>();
          let clock = 10_000;
          for (const [index, { writers, alerts, clockStep }] of rounds.entries()) {
            clock = Math.max(1, clock + clockStep);
            const names = await Promise.all(
              alerts.map(async (alert) => {
                const entry = { event: eventOf(alert, `round ${index}`) };
                if (writers[alert] === "behind")
                  return writeSpoolEntry(directory, entry, { now: clock, naming });
                const claim = await writeAheadEntry(directory, entry, { now: clock, naming });
                await claim.release();
                return claim.name;
              }),
            );
            for (const [position, alert] of alerts.entries()) {
              written.set(alert, [...(written.get(alert) ?? []), names[position] as string]);
            }
          }
          return written;
        }),
      ),
      propertyOptions("a run's spool names keep each alert's order when written concurrently", {
        numRuns: 40,
      }),
    );
  });
});

function eventOf(alert: number, title: string) {
  return { title_rule: title, event_status: "Warning" as const, alert_key: `alert-${alert}` };
}
