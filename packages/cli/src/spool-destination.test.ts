import { describe, expect, it } from "vitest";
import { configuredBase, destinationMismatch } from "./spool-destination.js";

const PUSH_URL = "https://eu.example.com/event/push/alert/standard?integration_key=spool-destination-key-1";

describe("configuredBase", () => {
  it("takes the base from the configuration that supplies the key, else the default", () => {
    expect(configuredBase({}, {})).toBe("https://api.flashcat.cloud");
    expect(configuredBase({}, { FLASHDUTY_INTEGRATION_KEY: "k" })).toBe("https://api.flashcat.cloud");
    expect(configuredBase({}, { FLASHDUTY_PUSH_URL: PUSH_URL })).toBe("https://eu.example.com");
    expect(configuredBase({ "push-url": PUSH_URL }, { FLASHDUTY_BASE_URL: "http://other" })).toBe(
      "https://eu.example.com",
    );
    expect(configuredBase({ key: "k", "base-url": "http://127.0.0.1:9/api/" }, {})).toBe(
      "http://127.0.0.1:9/api",
    );
    expect(
      configuredBase({}, { FLASHDUTY_INTEGRATION_KEY: "k", FLASHDUTY_BASE_URL: "HTTP://Host:80/" }),
    ).toBe("http://host");
    // A key from the environment does not borrow a push URL's base: that URL carries another key.
    expect(configuredBase({}, { FLASHDUTY_INTEGRATION_KEY: "k", FLASHDUTY_PUSH_URL: PUSH_URL })).toBe(
      "https://api.flashcat.cloud",
    );
  });
});

describe("destinationMismatch", () => {
  it("lets an event go only where it was spooled for", () => {
    expect(destinationMismatch("https://api.flashcat.cloud/", "https://api.flashcat.cloud")).toBeUndefined();
    expect(destinationMismatch(undefined, "https://api.flashcat.cloud")).toBeUndefined();
    expect(destinationMismatch("http://127.0.0.1:8080", "http://127.0.0.1:8080")).toBeUndefined();
  });

  it("reports a different host, port, scheme or path, and anything that is not a URL", () => {
    const configured = "https://api.flashcat.cloud";
    expect(destinationMismatch("https://evil.example", configured)).toEqual({
      recorded: "https://evil.example",
      configured,
    });
    expect(destinationMismatch("http://api.flashcat.cloud", configured)?.recorded).toBe(
      "http://api.flashcat.cloud",
    );
    expect(destinationMismatch("https://api.flashcat.cloud:8443", configured)).toBeDefined();
    expect(destinationMismatch("https://api.flashcat.cloud/proxy", configured)).toBeDefined();
    expect(destinationMismatch(undefined, "http://127.0.0.1:9")).toEqual({
      recorded: "https://api.flashcat.cloud",
      configured: "http://127.0.0.1:9",
    });
    for (const hostile of ["not a url", "file:///etc/passwd", 42, null, { host: "x" }]) {
      expect(destinationMismatch(hostile, configured)?.recorded).toBe("an invalid URL");
    }
  });

  it("shows a recorded URL without its credentials or query", () => {
    const mismatch = destinationMismatch(
      "https://user:secret-password@evil.example/x?integration_key=abc",
      "https://a",
    );
    expect(mismatch?.recorded).toBe("https://evil.example/x");
  });
});
