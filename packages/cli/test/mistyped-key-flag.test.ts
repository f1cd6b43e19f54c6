import { describe, expect, test } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { runInProcess } from "./run-in-process.js";

// Each case its own key: registration is process-wide, and a key registered by an earlier case would hide a leak.
let serial = 0;
const freshKey = () => `mistyped${String(serial++).padStart(2, "0")}Key0123456789abcdefXYZ`;

describe("a key given with --key mistyped is masked in the usage error and the dry run, not quoted", () => {
  test.each([
    ["glued to the flag", (key: string) => [`--key${key}`]],
    ["after a colon", (key: string) => [`--key:${key}`]],
    ["after an em dash (a flag pasted from a document)", (key: string) => [`\u2014key=${key}`]],
    ["after an en dash and a hyphen", (key: string) => [`\u2013-key=${key}`]],
    ["after a space that followed the equals sign", (key: string) => ["--key=", key]],
    ["after a single-dash -key", (key: string) => ["-key", key]],
    ["after a single-dash -key= in a dry run", (key: string) => [`-key=${key}`, "--dry-run"]],
  ])("%s", async (_case, mistyped) => {
    const key = freshKey();
    const run = await runInProcess(["push", "--title", "t", "--status", "Info", ...mistyped(key)], {});
    expect(run.stdout + run.stderr).not.toBe("");
    expect(leakedPieces(run.stdout + run.stderr, key)).toEqual([]);
    const lower = (run.stdout + run.stderr).toLowerCase();
    expect(leakedPieces(lower, key.toLowerCase())).toEqual([]);
  });
});
