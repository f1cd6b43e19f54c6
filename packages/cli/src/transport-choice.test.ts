import { describe, expect, test } from "vitest";
import { transportForProcess } from "./transport-choice.js";

describe("the bin's transport", () => {
  test("is node:http for a plain run", () => {
    expect(transportForProcess([], undefined)).toBe("node-http");
    expect(transportForProcess(["--max-old-space-size=64"], "--no-warnings")).toBe("node-http");
  });

  test("is the global fetch when code is preloaded, which may have replaced it", () => {
    expect(transportForProcess([], "--import=/x/preload.mjs")).toBe("fetch");
    expect(transportForProcess([], "--no-warnings --require ./agent.cjs")).toBe("fetch");
    expect(transportForProcess(["-r", "dd-trace/init"], undefined)).toBe("fetch");
    expect(transportForProcess(["--loader", "ts-node/esm"], "")).toBe("fetch");
    expect(transportForProcess(["--experimental-loader=./hooks.mjs"], undefined)).toBe("fetch");
  });
});
