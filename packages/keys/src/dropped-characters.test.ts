import { FlashdutyConfigError } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { checkBaseUrl } from "./base-url.js";
import { refuseDroppedCharacters } from "./dropped-characters.js";
import { parsePushUrl } from "./parse-push-url.js";

const KEY = "dropped-0123456789abcdef01234";
const PUSH = `https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`;

/** The message of what `run` throws, checked to be a FlashdutyConfigError. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(FlashdutyConfigError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("not refused");
}

describe("a tab or line break inside a URL, which URL parsing drops without a word", () => {
  test.each([
    ["a line break in the key", `${PUSH.slice(0, -6)}\n${PUSH.slice(-6)}`],
    ["a CR LF in the key (a value wrapped in a Windows file)", `${PUSH.slice(0, -6)}\r\n${PUSH.slice(-6)}`],
    ["a tab in the host", PUSH.replace("flashcat", "flash\tcat")],
  ])("%s: the push URL is refused, naming where, never quoting it", (_, url) => {
    // Parsed as it is, the URL would be another one, without a word: the refusal is what keeps it from being sent.
    expect(new URL(url).href).not.toBe(url);
    const message = refusal(() => parsePushUrl(url, "FLASHDUTY_PUSH_URL"));
    expect(message).toMatch(/^FLASHDUTY_PUSH_URL has a line break or tab inside it \(character \d+ of \d+/);
    expect(message).toContain("copy the push URL again");
    expect(message).not.toContain(KEY.slice(0, 8));
  });

  test("a base URL with a line break or tab inside is refused; blanks around either URL are trimmed", () => {
    const example = "https://api.flashcat.cloud";
    expect(refusal(() => checkBaseUrl("https://api.\nflashcat.cloud", "--base-url", "…", example))).toBe(
      "--base-url has a line break or tab inside it (character 13 of 27, blanks around it aside), which would be dropped without a word and another URL sent: remove it, or use one like https://api.flashcat.cloud.",
    );
    expect(checkBaseUrl("\thttps://api.flashcat.cloud/\r\n", "--base-url", "…", example)).toBe(example);
    expect(parsePushUrl(`\n ${PUSH}\r\n`).integrationKey).toBe(KEY);
  });

  test("refuseDroppedCharacters passes any other text, control characters included (those are encoded, not dropped)", () => {
    expect(() => refuseDroppedCharacters(" a\u0001b\u000bc ", "x", "y")).not.toThrow();
  });
});
