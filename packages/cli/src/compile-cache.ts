import { lstatSync, mkdirSync, statSync } from "node:fs";
import nodeModule from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";

/** What {@link enablePrivateCompileCache} needs from the process: stand-ins in tests. */
export interface CompileCacheHost {
  /** `module.enableCompileCache` (Node ≥ 22.1), `undefined` where Node has none. */
  enable: ((directory: string) => { directory?: string | undefined } | undefined) | undefined;
  /** The user id (`process.getuid()`), `undefined` where there is none (Windows, whose temp folder is per user). */
  uid: number | undefined;
  /** The temp folder (`os.tmpdir()`). */
  tmpdir: string;
}

const nodeHost = (): CompileCacheHost => ({
  enable: (nodeModule as { enableCompileCache?: CompileCacheHost["enable"] }).enableCompileCache,
  uid: process.getuid?.(),
  tmpdir: tmpdir(),
});

// Written by the group or by others: they could plant files where this user's processes load code from.
const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

/** Whether `directory` exists (created 0700 if missing) as a folder no one but `uid` can add files to. */
function isPrivateFolder(directory: string, uid: number | undefined): boolean {
  try {
    mkdirSync(directory, { mode: 0o700 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") return false;
  }
  // lstat: a symlink someone planted in the temp folder is not this user's folder, whatever it points to.
  const folder = lstatSync(directory);
  if (!folder.isDirectory()) return false;
  if (uid === undefined) return true;
  if (folder.uid !== uid || (folder.mode & WRITABLE_BY_OTHERS) !== 0) return false;
  // In a parent others may write to without the sticky bit, they could rename this folder away and put theirs.
  const parent = statSync(dirname(directory));
  return (parent.mode & WRITABLE_BY_OTHERS) === 0 || (parent.mode & STICKY) !== 0;
}

/**
 * Turns on Node's module compile cache (Node ≥ 22.1; elsewhere nothing happens) for the rest of the process, so a
 * later `flash-call` run loads the V8 code cache of the bundle instead of compiling it again. The cache holds compiled
 * code of the bundle's source only, never a value the process saw (no key, event or environment variable).
 *
 * Where: `NODE_COMPILE_CACHE`, if set, is Node's to honour (it turned the cache on before this ran), and
 * `NODE_DISABLE_COMPILE_CACHE` turns it off. Otherwise a folder of this user's own in the temp folder,
 * `flash-call-compile-cache-<uid>`: not Node's default `node-compile-cache`, which any local user may create first and
 * fill with code another user's process would then run. The folder is created 0700 and used only if it is a real
 * folder owned by this user that no one else can write to, in a temp folder others cannot rename it out of; else
 * there is no cache. Never throws and never writes outside the temp folder: a read-only or missing temp folder or
 * HOME only means no cache.
 *
 * @param env the environment (the bin passes `process.env`; no default)
 * @param host Node's cache switch, the user id and the temp folder @default this process's
 * @returns the folder the cache is in, or `undefined` when this call did not turn it on (Node reports failures
 *   instead of throwing them)
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
