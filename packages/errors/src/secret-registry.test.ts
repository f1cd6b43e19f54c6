import { describe, expect, test } from "vitest";
import { redact, registerSecret } from "./secret-registry.js";

describe("redact", () => {
  test("masks registered secrets, raw and URL-encoded", () => {
    const secret = "registry+test/key=0001";
    registerSecret(secret);
    const text = `raw ${secret} encoded ${encodeURIComponent(secret)} twice ${secret}`;
    expect(redact(text)).toBe("raw regi…**** encoded regi…**** twice regi…****");
  });

  test("masks the longer of two overlapping secrets whole", () => {
    registerSecret("overlap-0123456789");
    registerSecret("overlap-0123456789-and-more");
    expect(redact("k=overlap-0123456789-and-more")).toBe("k=over…****");
  });

  test("scrubs integration_key values it was never told about", () => {
    expect(redact("https://h/p?integration_key=unregistered")).toBe("https://h/p?integration_key=***");
  });

  test("ignores an empty secret", () => {
    registerSecret("");
    expect(redact("unchanged")).toBe("unchanged");
  });

  test("is shared by every copy of the package", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const copy = await import("./secret-registry.js");
    copy.registerSecret("shared-between-copies-0001");
    expect(redact("shared-between-copies-0001")).toBe("shar…****");
  });
});
