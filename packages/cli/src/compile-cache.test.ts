import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type CompileCacheHost, enablePrivateCompileCache, runBundle } from "./compile-cache.js";

// POSIX, as the repository's tests are: the user id names the folder and owns it.
const uid = process.getuid?.() as number;
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "flash-call-compile-cache-test-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A host whose temp folder is `folder` and whose enableCompileCache records where it was asked to cache. */
function hostIn(folder: string, overrides: Partial<CompileCacheHost> = {}) {
  const enabled: string[] = [];
  const host: CompileCacheHost = {
    enable: (directory) => {
      enabled.push(directory);
      return { directory };
    },
    uid,
    tmpdir: folder,
    ...overrides,
  };
  return { host, enabled };
}

const cacheFolder = (folder: string) => join(folder, `flash-call-compile-cache-${uid}`);

describe("enablePrivateCompileCache", () => {
  test("turns the cache on in a new folder of the user's own, readable and writable by the user only", () => {
    const { host, enabled } = hostIn(scratch);
    expect(enablePrivateCompileCache({}, host)).toBe(cacheFolder(scratch));
    expect(enabled).toEqual([cacheFolder(scratch)]);
    expect(statSync(cacheFolder(scratch)).mode & 0o777).toBe(0o700);
  });

  test("uses the folder again on the next run", () => {
    expect(enablePrivateCompileCache({}, hostIn(scratch).host)).toBe(cacheFolder(scratch));
    const { host, enabled } = hostIn(scratch);
    expect(enablePrivateCompileCache({}, host)).toBe(cacheFolder(scratch));
    expect(enabled).toEqual([cacheFolder(scratch)]);
  });

  test("does nothing on a Node without a compile cache (Node 20)", () => {
    expect(enablePrivateCompileCache({}, hostIn(scratch, { enable: undefined }).host)).toBeUndefined();
    expect(() => statSync(cacheFolder(scratch))).toThrow();
  });

  test.each([
    ["NODE_COMPILE_CACHE", { NODE_COMPILE_CACHE: "/var/cache/chosen-by-the-user" }],
    ["NODE_DISABLE_COMPILE_CACHE", { NODE_DISABLE_COMPILE_CACHE: "1" }],
  ])("leaves the cache to Node when %s is set", (_name, env) => {
    const { host, enabled } = hostIn(scratch);
    expect(enablePrivateCompileCache(env, host)).toBeUndefined();
    expect(enabled).toEqual([]);
  });

  test("returns nothing when Node could not turn the cache on", () => {
    const { host } = hostIn(scratch, { enable: () => ({}) });
    expect(enablePrivateCompileCache({}, host)).toBeUndefined();
  });

  test("runs without a cache when the temp folder cannot hold one (a file, or missing)", () => {
    const file = join(scratch, "not-a-folder");
    writeFileSync(file, "");
    for (const folder of [file, join(scratch, "missing", "deeper")]) {
      const { host, enabled } = hostIn(folder);
      expect(enablePrivateCompileCache({}, host)).toBeUndefined();
      expect(enabled).toEqual([]);
    }
  });

  test("runs without a cache when TMPDIR is relative, rather than writing into the working directory", () => {
    const { host, enabled } = hostIn("tmp");
    expect(enablePrivateCompileCache({}, host)).toBeUndefined();
    expect(enabled).toEqual([]);
  });

  test("never throws, whatever the host does", () => {
    const { host } = hostIn(scratch, {
      enable: () => {
        throw new Error("broken");
      },
    });
    expect(enablePrivateCompileCache({}, host)).toBeUndefined();
  });

  test("names the folder without a user id where there is none (Windows, whose temp folder is per user)", () => {
    const { host } = hostIn(scratch, { uid: undefined });
    expect(enablePrivateCompileCache({}, host)).toBe(join(scratch, "flash-call-compile-cache"));
  });

  describe("refuses a folder someone else could write code into", () => {
    test("a symlink planted where the folder goes", () => {
      const elsewhere = join(scratch, "elsewhere");
      mkdirSync(elsewhere, { mode: 0o700 });
      symlinkSync(elsewhere, cacheFolder(scratch));
      const { host, enabled } = hostIn(scratch);
      expect(enablePrivateCompileCache({}, host)).toBeUndefined();
      expect(enabled).toEqual([]);
    });

    test("a folder the group or others may write to", () => {
      for (const mode of [0o777, 0o770, 0o702]) {
        rmSync(cacheFolder(scratch), { recursive: true, force: true });
        mkdirSync(cacheFolder(scratch));
        chmodSync(cacheFolder(scratch), mode);
        const { host, enabled } = hostIn(scratch);
        expect(enablePrivateCompileCache({}, host)).toBeUndefined();
        expect(enabled).toEqual([]);
      }
    });

    test("a folder owned by another user", () => {
      mkdirSync(cacheFolder(scratch), { mode: 0o700 });
      // The same folder, seen by a process of another user id: not theirs, so not used.
      const other = hostIn(scratch, { uid: uid + 1 });
      expect(enablePrivateCompileCache({}, other.host)).toBeUndefined();
      expect(other.enabled).toEqual([]);
    });

    test("a temp folder anyone may write to without the sticky bit, but not one with it (/tmp)", () => {
      chmodSync(scratch, 0o777);
      expect(enablePrivateCompileCache({}, hostIn(scratch).host)).toBeUndefined();
      chmodSync(scratch, 0o1777);
      expect(enablePrivateCompileCache({}, hostIn(scratch).host)).toBe(cacheFolder(scratch));
    });
  });
});

describe("runBundle", () => {
  test("runs a bundle as CommonJS, with a cache folder or without: a #! line, non-ASCII text and its file name", () => {
    const bundle = join(scratch, "bundle.cjs");
    writeFileSync(
      bundle,
      '#!/usr/bin/env node\nmodule.exports = 1;\nglobalThis.__runBundleSeen = [...(globalThis.__runBundleSeen ?? []), "clé ✓", __filename];\n',
    );
    const folder = join(scratch, "cache");
    mkdirSync(folder, { mode: 0o700 });
    const seen = globalThis as { __runBundleSeen?: unknown[] };
    try {
      runBundle(bundle, folder, "push");
      runBundle(bundle, undefined, "push");
      expect(seen.__runBundleSeen).toEqual(["clé ✓", bundle, "clé ✓", bundle]);
    } finally {
      delete seen.__runBundleSeen;
    }
  });
});
