import { describe, expect, test } from "vitest";
import { checkBaseUrl } from "./base-url.js";
import { parsePushUrl } from "./parse-push-url.js";
import { withoutTrailingSlashes } from "./trailing-slashes.js";

// A run this long takes a `/\/+$/` replace tens of seconds (it is quadratic): these tests would time out on it.
const RUN = "/".repeat(200_000);

describe("withoutTrailingSlashes", () => {
  test("drops every trailing slash and nothing else", () => {
    expect(withoutTrailingSlashes("https://h/a//")).toBe("https://h/a");
    expect(withoutTrailingSlashes("https://h/a")).toBe("https://h/a");
    expect(withoutTrailingSlashes("///")).toBe("");
    expect(withoutTrailingSlashes("")).toBe("");
    expect(withoutTrailingSlashes(`a${RUN}`)).toBe("a");
  });

  test("a long run of slashes followed by something else is scanned once", () => {
    const text = `https://h${RUN}x`;
    expect(withoutTrailingSlashes(text)).toBe(text);
  });
});

describe("hostile URLs are read in linear time", () => {
  test("a base URL of a long run of slashes then a letter", () => {
    expect(() =>
      checkBaseUrl(`http://127.0.0.1${RUN}x`, "FLASHDUTY_BASE_URL", "…", "https://api.flashcat.cloud"),
    ).toThrow(
      /^FLASHDUTY_BASE_URL is 200017 characters long, over the 4096 a URL may have here: use one like/,
    );
    // At the limit, a base URL ending in a long run of slashes is read, without them.
    const atTheLimit = `http://127.0.0.1/api${"/".repeat(4096 - 20)}`;
    expect(atTheLimit).toHaveLength(4096);
    expect(checkBaseUrl(atTheLimit, "B", "…", "https://api.flashcat.cloud")).toBe("http://127.0.0.1/api");
  });

  test("a push URL whose path is a long run of slashes then a letter", () => {
    expect(() => parsePushUrl(`http://127.0.0.1${RUN}x?integration_key=trailing0123456789abcdef`)).toThrow(
      /^The push URL is 200058 characters long, over the 4096 a URL may have here: copy the push URL again/,
    );
    const parts = parsePushUrl(
      `http://127.0.0.1/gw${"/".repeat(3000)}x/event/push/alert/standard///?integration_key=trailing0123456789abcdef`,
    );
    expect(parts.endpoint).toBe("alert");
  });
});
