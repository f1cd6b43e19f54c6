import { defineConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

/** Only the soak run: `pnpm test:soak`. */
export default defineConfig({ ...shared, test: { ...shared.test, include: ["test/**/*.soak.ts"] } });
