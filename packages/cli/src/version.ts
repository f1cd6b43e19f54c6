// A named import lets the bundler inline only the version, not the whole manifest.
import { version } from "../package.json";

/**
 * The CLI's version, from its package.json (inlined by the bundler).
 *
 * @example
 * VERSION; // "0.1.0"
 */
export const VERSION: string = version;
