import { afterEach, describe, expect, test, vi } from "vitest";
import { createFlashCall } from "./flash-call.js";

// Each its own key: registration is process-wide, and one registered by another test would hide the fault.
const ALERT_KEY = "Nq3Wv7Bx1Zc5Lm9Kd2Hf6Jg0Ps4Rt8Ya";
const CHANGE_KEY = "Ue5Io9Pa3Sd7Fg1Hj6Kl0Zx4Cv8Bn2Mq";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the key of the integration a push does not use, set in the environment", () => {
  test("is masked in an alert's texts, as the alert integration's own key is", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", ALERT_KEY);
    vi.stubEnv("FLASHDUTY_CHANGE_INTEGRATION_KEY", CHANGE_KEY);
    const warnings: string[] = [];
    const flashduty = createFlashCall({ logger: { warn: (line: string) => warnings.push(line) } });
    const prepared = flashduty.prepare({ title_rule: `config dump: ${CHANGE_KEY}`, event_status: "Info" });
    expect(prepared.event.title_rule).not.toContain(CHANGE_KEY.slice(0, 8));
    expect(prepared.masked).toEqual(["title_rule"]);
  });
});
