import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// The end-to-end tests in test/ spawn the built bin: build it first when it is missing or stale.
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ["./test/build-bin.ts"] } }));
