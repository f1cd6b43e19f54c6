// Vitest setup (every package, see vitest.shared.ts): a property that does not pass its own seed through
// propertyOptions still runs with this run's seed, so no fast-check property in `pnpm test` is random.
import fc from "fast-check";
import { runSeed } from "./fast-check.js";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: runSeed });
