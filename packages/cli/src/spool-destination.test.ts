import { describe, expect, it } from "vitest";
import { destinationMismatch, spoolBase } from "./spool-destination.js";

describe("spoolBase", () => {
  it("keeps what decides where a request goes: scheme, host, port and path prefix", () => {
    expect(spoolBase("HTTP://Host:80/")).toBe("http://host");
    expect(spoolBase("http://127.0.0.1:9/api/")).toBe("http://127.0.0.1:9/api");
    expect(spoolBase("not a url")).toBeUndefined();
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
