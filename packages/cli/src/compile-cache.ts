import { isAscii } from "node:buffer";
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { Script } from "node:vm";
import { builtin } from "./node-builtin.js";

// Required, not imported: a default import of a built-in copies every one of its exports (esbuild's interop).
// node:module is loaded only where a run needs it (no cache, or a package to require): loading it costs a start-up
// a third of a millisecond.
const nodeModule = () => builtin("node:module") as typeof import("node:module");

/** Node's CommonJS wrapper (`module.wrap`): the bundle runs as a function of these, as `require` would run it. */
const WRAPPER = ["(function (exports, require, module, __filename, __dirname) { ", "\n});"] as const;
const WRAPPER_BYTES = [Buffer.from(WRAPPER[0], "latin1"), Buffer.from(WRAPPER[1], "latin1")] as const;

/** Node ≥ 22.1, where `module.enableCompileCache` appeared: the Nodes this cache is for. */
function hasCompileCache(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

/** What {@link enablePrivateCompileCache} needs from the process: stand-ins in tests. */
export interface CompileCacheHost {
  /**
   * Takes `directory` as the cache's folder and returns it; `undefined` where the bin keeps no cache (Node before
   * 22.1, which has no `module.enableCompileCache`: Node 20 runs as it always did).
   */
  enable: ((directory: string) => { directory?: string | undefined } | undefined) | undefined;
  /** The user id (`process.getuid()`), `undefined` where there is none (Windows, whose temp folder is per user). */
  uid: number | undefined;
  /** The temp folder (`os.tmpdir()`). */
  tmpdir: string;
}

/**
 * `os.tmpdir()`, without loading node:os (a fifth of a millisecond at every start) where its rule is plain: on
 * POSIX, TMPDIR, TMP or TEMP, else /tmp, without a trailing slash. Node reads none of them in a process whose
 * user or group ids differ (setuid): there, as on Windows, Node's own answer.
 */
function temporaryFolder(env: Readonly<Record<string, string | undefined>>): string {
  const elevated = process.getuid?.() !== process.geteuid?.() || process.getgid?.() !== process.getegid?.();
  if (process.platform === "win32" || elevated)
    return (builtin("node:os") as typeof import("node:os")).tmpdir();
  const folder = env.TMPDIR || env.TMP || env.TEMP || "/tmp";
  return folder.length > 1 && folder.endsWith("/") ? folder.slice(0, -1) : folder;
}

const nodeHost = (): CompileCacheHost => ({
  enable: hasCompileCache(process.versions.node) ? (directory) => ({ directory }) : undefined,
  uid: process.getuid?.(),
  tmpdir: temporaryFolder(process.env),
});

// Written by the group or by others: they could plant files where this user's processes load code from.
const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

/** Whether `directory` exists (created 0700 if missing) as a folder no one but `uid` can add files to. */
function isPrivateFolder(directory: string, uid: number | undefined): boolean {
  // lstat: a symlink someone planted in the temp folder is not this user's folder, whatever it points to. Looked
  // at before mkdir: the folder is there on every run but the first, and a failed mkdir throws, which costs more.
  let folder = lstatSync(directory, { throwIfNoEntry: false });
  if (folder === undefined) {
    try {
      mkdirSync(directory, { mode: 0o700 });
    } catch (error) {
      // EEXIST: made since the lstat, by whoever: the checks below decide.
      if ((error as { code?: unknown }).code !== "EEXIST") return false;
    }
    folder = lstatSync(directory);
  }
  if (!folder.isDirectory()) return false;
  if (uid === undefined) return true;
  if (folder.uid !== uid || (folder.mode & WRITABLE_BY_OTHERS) !== 0) return false;
  // In a parent others may write to without the sticky bit, they could rename this folder away and put theirs.
  const parent = statSync(dirname(directory));
  return (parent.mode & WRITABLE_BY_OTHERS) === 0 || (parent.mode & STICKY) !== 0;
}

/**
 * Chooses the folder of the bin's compile cache (Node ≥ 22.1; elsewhere there is none), where {@link runBundle}
 * keeps the V8 code cache of the bundle, so that a later `flash-call` run loads its compiled code instead of
 * compiling it again. The cache holds compiled code of the bundle's source only, never a value the process saw
 * (no key, event or environment variable).
 *
 * Where: `NODE_COMPILE_CACHE`, if set, is Node's to honour (Node's own cache, turned on before this ran), and
 * `NODE_DISABLE_COMPILE_CACHE` turns every cache off. Otherwise a folder of this user's own in the temp folder,
 * `flash-call-compile-cache-<uid>`: not Node's default `node-compile-cache`, which any local user may create first and
 * fill with code another user's process would then run. The folder is created 0700 and used only if it is a real
 * folder owned by this user that no one else can write to, in a temp folder others cannot rename it out of; else
 * there is no cache. Never throws and never writes outside the temp folder: a read-only or missing temp folder or
 * HOME only means no cache.
 *
 * @param env the environment (the bin passes `process.env`; no default)
 * @param host Node's cache switch, the user id and the temp folder @default this process's
 * @returns the folder the cache is in, or `undefined` when the bin keeps none
 * @example
 * ```ts
 * enablePrivateCompileCache(process.env); // "/tmp/flash-call-compile-cache-1000" on Node 22, undefined on Node 20
 * ```
 */
export function enablePrivateCompileCache(
  env: Readonly<Record<string, string | undefined>>,
  host: CompileCacheHost = nodeHost(),
): string | undefined {
  try {
    if (host.enable === undefined || env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE)
      return undefined;
    // A relative TMPDIR would put the folder in whatever directory the command runs in.
    if (!isAbsolute(host.tmpdir)) return undefined;
    const name = host.uid === undefined ? "flash-call-compile-cache" : `flash-call-compile-cache-${host.uid}`;
    const directory = join(host.tmpdir, name);
    if (!isPrivateFolder(directory, host.uid)) return undefined;
    return host.enable(directory)?.directory;
  } catch {
    // A cache is an optimisation: whatever went wrong, the command runs without one.
    return undefined;
  }
}

/**
 * The `require` the bundle at `file` runs with: built-ins from Node directly, and anything else (undici with a
 * proxy, @redis/client with --redis) resolved from the bundle's folder, with a `createRequire` made only then (it
 * costs a start-up about a third of a millisecond). The bundle calls `require` and nothing else of it.
 */
function bundleRequire(file: string): (id: string) => unknown {
  let packages: NodeJS.Require | undefined;
  return (id) => {
    const found = builtin(id);
    if (found !== undefined) return found;
    packages ??= nodeModule().createRequire(file);
    return packages(id);
  };
}

/**
 * Names where a bundle is (FNV-1a of its path, in hex): two installs used in turn (a global one and a project's,
 * or two checkouts) each keep a cache instead of replacing the other's at every run.
 */
function placeTag(file: string): string {
  let hash = 0x811c9dc5;
  for (let at = 0; at < file.length; at++) hash = Math.imul(hash ^ file.charCodeAt(at), 0x01000193);
  return (hash >>> 0).toString(16);
}

// The commands of args.ts: each has a cache of its own, holding the functions its runs compile (any other word,
// an option or a typo shares one), so a `--version` run never stands in for a push's cache.
// A list, not a regular expression: one with these alternatives costs a tenth of a millisecond to compile.
const COMMAND_WORDS: readonly string[] = ["push", "resolve", "ocp", "flush", "mock", "change", "deploy"];

/**
 * The bundle's source inside {@link WRAPPER}, joined as bytes (outside V8's heap) and made a string once: read as a
 * string and then wrapped, it would be made twice (the text, then the joined text V8 compiles), a tenth of a
 * megabyte each in the young generation, which then needs a collection before a push's answer.
 */
function wrappedSource(file: string): string {
  const bytes = Buffer.concat([WRAPPER_BYTES[0], readFileSync(file), WRAPPER_BYTES[1]]);
  // The wrapper puts the source after a function head, where a "#!" line is no syntax (the build writes none).
  const start = WRAPPER_BYTES[0].length;
  if (bytes[start] === 0x23 && bytes[start + 1] === 0x21) bytes.write("//", start, "latin1");
  // An ASCII file (the build makes one) reads faster as Latin-1, which is then the same text; any other as UTF-8.
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}

/**
 * Runs the CommonJS bundle `file` once, as `require(file)` would, with a V8 code cache kept in `folder`: the
 * compiled code of every function the previous run of the same `command` compiled. That is what Node's own compile
 * cache cannot give: it stores the code compiled when the file is loaded, and a bundle's functions are compiled
 * later, when first called (a push compiles several hundred). A run without a usable cache (none yet, another
 * Node, a changed bundle) writes one when it exits, in the folder {@link enablePrivateCompileCache} checked, under
 * a temporary name renamed into place: one file per bundle path, Node version and command, which says which bundle (its size,
 * modification time and inode) it was made from, and V8 itself refuses code made by another V8 or other flags.
 * Without a folder, or if the bundle cannot be read, the file is simply required.
 *
 * The bundle must not `import()` a module (a script run this way has no dynamic import without
 * `--experimental-vm-modules`): the bin's build turns its `import()`s into `require`s.
 *
 * @param file the bundle's absolute path
 * @param folder the cache's folder, from {@link enablePrivateCompileCache}; `undefined`: no cache
 * @param command the command word (`process.argv[2]`), which names the cache @default the shared one
 * @example
 * ```ts
 * runBundle(join(__dirname, "run-process.cjs"), enablePrivateCompileCache(process.env), process.argv[2]);
 * ```
 */
export function runBundle(file: string, folder: string | undefined, command?: string): void {
  let script: Script;
  let save: (() => void) | undefined;
  try {
    if (folder === undefined) throw new Error("no cache folder");
    const bundle = statSync(file);
    const word = command !== undefined && COMMAND_WORDS.includes(command) ? command : "other";
    const cacheFile = join(
      folder,
      `${basename(file)}-${placeTag(file)}-${process.version}-${process.arch}-${word}.cache`,
    );
    const made = `${bundle.size}-${bundle.mtimeMs}-${bundle.ino}\n`;
    let cachedData: Buffer | undefined;
    try {
      const cache = readFileSync(cacheFile);
      if (cache.toString("latin1", 0, made.length) === made) cachedData = cache.subarray(made.length);
    } catch {
      // No cache yet: this run makes one.
    }
    script = new Script(wrappedSource(file), {
      filename: file,
      ...(cachedData && { cachedData }),
    });
    if (script.cachedDataRejected !== false) {
      save = () => {
        const temporary = `${cacheFile}.${process.pid}`;
        try {
          writeFileSync(temporary, Buffer.concat([Buffer.from(made, "latin1"), script.createCachedData()]), {
            mode: 0o600,
            flag: "wx",
          });
          renameSync(temporary, cacheFile);
        } catch {
          try {
            unlinkSync(temporary);
          } catch {
            // Never written.
          }
        }
      };
    }
  } catch {
    // A cache is an optimisation: whatever went wrong, the bundle runs as a plain require.
    nodeModule().createRequire(file)(file);
    return;
  }
  // At exit, once the command has compiled what it uses: that is what the next run finds compiled.
  if (save !== undefined) process.once("exit", save);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, bundleRequire(file), module, file, dirname(file));
}
