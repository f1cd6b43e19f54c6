import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (absolute path, no trailing slash). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

/**
 * Absolute path of a file inside the repository.
 * @param {string} relative e.g. "packages/cli/dist/bin.cjs"
 * @example repoPath("packages/flash-call/dist/index.js")
 */
export function repoPath(relative) {
  return `${ROOT}/${relative}`;
}

/**
 * Imports a built workspace file, or returns `undefined` when it has not been built (so a table can say so).
 * @param {string} relative
 * @example const sdk = await importBuilt("packages/flash-call/dist/index.js");
 */
export async function importBuilt(relative) {
  const path = repoPath(relative);
  if (!existsSync(path)) return undefined;
  return import(pathToFileURL(path).href);
}

/**
 * Imports a package that a workspace package depends on (undici lives in the SDK's and the CLI's
 * dependencies, not the root's).
 * @param {string} workspacePackage e.g. "packages/cli"
 * @param {string} specifier e.g. "undici"
 * @example const undici = await importFrom("packages/cli", "undici");
 */
export async function importFrom(workspacePackage, specifier) {
  const require = createRequire(repoPath(`${workspacePackage}/package.json`));
  return import(pathToFileURL(require.resolve(specifier)).href);
}
