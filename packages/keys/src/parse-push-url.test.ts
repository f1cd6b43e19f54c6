import { FlashdutyConfigError, maskKey, redact } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { parsePushUrl } from "./parse-push-url.js";

const KEY = "pushurl-0123456789abcdef012345";

function failure(url: string): Error {
  try {
    parsePushUrl(url);
  } catch (error) {
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected parsePushUrl to throw");
}

describe("parsePushUrl", () => {
  test("splits the console's push URL", () => {
    expect(
      parsePushUrl(`https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`),
    ).toEqual({
      baseUrl: "https://api.flashcat.cloud",
      path: "/event/push/alert/standard",
      endpoint: "alert",
      integrationKey: KEY,
      query: {},
    });
  });

  test("keeps a path prefix, a port and other query parameters", () => {
    expect(
      parsePushUrl(
        `  http://127.0.0.1:8080/proxy/flashduty/event/push/alert/standard/?a=1&integration_key=${KEY}&b=x%20y  `,
      ),
    ).toEqual({
      baseUrl: "http://127.0.0.1:8080/proxy/flashduty",
      path: "/proxy/flashduty/event/push/alert/standard/",
      endpoint: "alert",
      integrationKey: KEY,
      query: { a: "1", b: "x y" },
    });
  });

  test("the same URL parsed again gives equal parts that a caller may change without changing the next", () => {
    const url = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}&team=a`;
    const first = parsePushUrl(url);
    first.query.team = "changed";
    first.baseUrl = "https://elsewhere.example";
    expect(parsePushUrl(url)).toEqual({
      baseUrl: "https://api.flashcat.cloud",
      path: "/event/push/alert/standard",
      endpoint: "alert",
      integrationKey: KEY,
      query: { team: "a" },
    });
    expect(parsePushUrl(`${url}&owner=b`).query).toEqual({ team: "a", owner: "b" });
  });

  test("a URL that failed fails again, in the words of each caller", () => {
    const url = "ftp://api.flashcat.cloud/event/push/alert/standard";
    expect(() => parsePushUrl(url)).toThrow(/^The push URL must start with https:/);
    expect(() => parsePushUrl(url, "The pushUrl option")).toThrow(
      /^The pushUrl option must start with https:/,
    );
  });

  test("takes a base URL that carries the key", () => {
    expect(parsePushUrl(`https://api.flashcat.cloud/?integration_key=${KEY}`)).toMatchObject({
      baseUrl: "https://api.flashcat.cloud",
      path: "/",
    });
    expect(parsePushUrl(`https://proxy.local/flashduty?integration_key=${KEY}`).baseUrl).toBe(
      "https://proxy.local/flashduty",
    );
  });

  test("decodes an encoded key", () => {
    const key = "enc/key+0123456789abcdef=";
    const parsed = parsePushUrl(
      `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${encodeURIComponent(key)}`,
    );
    expect(parsed.integrationKey).toBe(key);
    expect(parsed.baseUrl).toBe("https://api.flashcat.cloud");
  });

  test.each([
    [
      "user and password",
      `https://user:pw@api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`,
    ],
    ["a user alone", `https://user@api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`],
    ["a password alone", `https://:pw@api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`],
  ])("refuses credentials it would not send (%s), quoting only the origin", (_shape, url) => {
    expect(failure(url).message).toBe(
      "The push URL (https://api.flashcat.cloud/…) carries a user name or password (user:password@ before the host), which would not be sent: Flashduty authenticates a push by its integration_key alone. Remove them, or copy the push URL again from the integration's page in the Flashduty console.",
    );
  });

  test.each([
    ["after the key", `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}#team`],
    ["empty", `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}#`],
    ["holding the key", `https://api.flashcat.cloud/event/push/alert/standard#integration_key=${KEY}`],
    ["inside the key", `https://api.flashcat.cloud/event/push/alert/standard?integration_key=abc#def${KEY}`],
  ])("refuses a fragment (%s), which is never sent", (_shape, url) => {
    expect(failure(url).message).toBe(
      "The push URL (https://api.flashcat.cloud/…) has a fragment (from a # on), which is never sent: remove it, or, if the # belongs to the key, copy the push URL again from the integration's page in the Flashduty console.",
    );
  });

  test("refuses a query parameter given twice, naming it by position", () => {
    expect(
      failure(`https://api.flashcat.cloud/event/push/alert/standard?a=1&b=2&a=3&integration_key=${KEY}`)
        .message,
    ).toBe(
      "The push URL (https://api.flashcat.cloud/…) has two query parameters of the same name (the 1st and the 3rd), and only one value of a name can be sent: keep the one you mean, or copy the push URL again from the integration's page in the Flashduty console.",
    );
    expect(
      failure(`https://api.flashcat.cloud/?integration_key=${KEY}&integration_key=other-0123456789`).message,
    ).toBe(
      "The push URL (https://api.flashcat.cloud/…) has integration_key more than once, and only one value of a name can be sent: keep the one you mean, or copy the push URL again from the integration's page in the Flashduty console.",
    );
    // The same name spelt with an escape is the same parameter once decoded.
    expect(failure(`https://h/p?team=a&t%65am=b&integration_key=${KEY}`).message).toContain(
      "(the 1st and the 2nd)",
    );
  });

  test("registers the key for redact()", () => {
    const key = "registered-by-parse-0123456789";
    parsePushUrl(`https://api.flashcat.cloud/event/push/alert/standard?integration_key=${key}`);
    expect(redact(`leak ${key}`)).toBe(`leak ${maskKey(key)}`);
  });

  test("a URL without integration_key", () => {
    expect(failure("https://api.flashcat.cloud/event/push/alert/standard?token=abc").message).toBe(
      "The push URL (https://api.flashcat.cloud/…) has no integration_key query parameter. Copy the whole push URL from the integration's page in the Flashduty console.",
    );
  });

  test("an empty integration_key", () => {
    expect(failure("https://api.flashcat.cloud/event/push/alert/standard?integration_key=").message).toBe(
      "The integration_key of (https://api.flashcat.cloud/…) is empty. Copy it again from the integration's page in the Flashduty console.",
    );
    expect(
      failure("https://api.flashcat.cloud/event/push/alert/standard?integration_key=%20").message,
    ).toContain("(https://api.flashcat.cloud/…) is only whitespace.");
  });

  test("not a URL, without echoing what was given", () => {
    const error = failure(KEY);
    expect(error.message).toMatch(
      /^The push URL is not a URL; expected one like https:\/\/api\.flashcat\.cloud/,
    );
    expect(error.message).not.toContain(KEY);
  });

  test("not http(s), quoting nothing of it", () => {
    const error = failure(`ftp://h/event/push/alert/standard?integration_key=${KEY}`);
    expect(error.message).toBe(
      "The push URL must start with https:// (or http://); copy it from the integration's page in the Flashduty console.",
    );
  });

  test("a malformed key in the URL", () => {
    const error = failure(`https://h/event/push/alert/standard?integration_key=bad%20key-0123456789`);
    expect(error.message).toBe(
      "The integration_key of (https://h/…) contains whitespace. Copy it again from the integration's page in the Flashduty console.",
    );
  });

  test("names where the URL came from", () => {
    expect(() => parsePushUrl("nope", "FLASHDUTY_PUSH_URL")).toThrow(/^FLASHDUTY_PUSH_URL is not a URL/);
  });
});

describe("parsePushUrl never echoes a key, wherever the URL holds it", () => {
  /** Never registered, so only the message's wording can keep it out. Unlike any word of a message. */
  const SECRET = "Zq8vW3xK9mN2pL7r";
  const ENCODED = encodeURIComponent(`${SECRET}+/=`);
  const shapes: [string, string][] = [
    ["a bare query", `https://api.flashcat.cloud/event/push/alert/standard?${SECRET}`],
    ["a bare encoded query", `https://api.flashcat.cloud/event/push/alert/standard?${ENCODED}`],
    ["the key in the path", `https://api.flashcat.cloud/event/push/alert/standard/${SECRET}`],
    ["another parameter name", `https://api.flashcat.cloud/event/push/alert/standard?key=${SECRET}`],
    ["the key as a parameter name", `https://api.flashcat.cloud/event/push/alert/standard?${SECRET}=1`],
    ["userinfo", `https://${SECRET}:x@api.flashcat.cloud/event/push/alert/standard`],
    ["a fragment", `https://api.flashcat.cloud/event/push/alert/standard#integration_key=${SECRET}`],
    ["a non-http scheme", `ftp://api.flashcat.cloud/?integration_key=${SECRET}`],
    ["a scheme made of the key", `${SECRET}:${SECRET}`],
    ["a malformed URL", `https://[${SECRET}/event/push?integration_key=${SECRET}`],
    [
      "userinfo with a key",
      `https://u:${SECRET}@api.flashcat.cloud/event/push/alert/standard?integration_key=${SECRET}`,
    ],
    ["a fragment after a key", `https://h/event/push/alert/standard?integration_key=${SECRET}#${SECRET}`],
    [
      "the key as a parameter name twice",
      `https://h/event/push/alert/standard?${SECRET}=1&${SECRET}=2&integration_key=${SECRET}`,
    ],
    [
      "the key twice",
      `https://h/event/push/alert/standard?integration_key=${SECRET}&integration_key=${SECRET}`,
    ],
    ["whitespace and control characters", ` \thttps://api.flashcat.cloud/p?\n${SECRET}\u0000 `],
    ["an empty integration_key and the key elsewhere", `https://h/${SECRET}?integration_key=&x=${SECRET}`],
    ["a malformed integration_key", `https://h/${SECRET}?integration_key=%20${SECRET}%0A`],
  ];

  test.each(shapes)("%s", (_shape, url) => {
    const error = failure(url);
    for (let at = 0; at + 8 <= SECRET.length; at++) {
      expect(error.message).not.toContain(SECRET.slice(at, at + 8));
      expect(String(error.stack)).not.toContain(SECRET.slice(at, at + 8));
    }
  });

  test("a value that is not a string is a FlashdutyConfigError, not a TypeError", () => {
    for (const value of [undefined, null, 42, {}]) {
      expect(() => parsePushUrl(value as unknown as string)).toThrow(FlashdutyConfigError);
    }
  });
});
