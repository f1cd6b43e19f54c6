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

  it("shows a host label or path segment over 15 characters as …: a file may hold a key no longer known", () => {
    const oldKey = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    expect(destinationMismatch(`http://127.0.0.1:9/fd/${oldKey}/`, "https://a")?.recorded).toBe(
      "http://127.0.0.1:9/fd/…",
    );
    expect(destinationMismatch(`https://${oldKey}.example/x`, "https://a")?.recorded).toBe(
      "https://….example/x",
    );
    expect(destinationMismatch("https://gw.example/flashduty/", "https://a")?.recorded).toBe(
      "https://gw.example/flashduty",
    );
  });
});
