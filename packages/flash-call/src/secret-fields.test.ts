import { LIMITS } from "@flash-call/core/constants";
import { FlashdutyValidationError, registerSecret } from "@flash-call/errors";
import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createFlashCall } from "./flash-call.js";
import { prepareChange } from "./prepare-change.js";
import { prepareEvent } from "./prepare-event.js";
import { preparationWarnings } from "./secret-fields.js";

const KEY = "fieldSecretKey0123456789abcdef42";
registerSecret(KEY);

/** Every 8-character piece of the key: none may be in what is sent. */
const PIECES = Array.from({ length: KEY.length - 7 }, (_, at) => KEY.slice(at, at + 8));
const holdsNoPiece = (text: string) => PIECES.every((piece) => !text.includes(piece));

describe("prepareEvent masks an integration key written into an event's texts", () => {
  test("in the title, the description, the alert_key, a label's value and an image, each path said", () => {
    const { event, masked } = prepareEvent({
      title_rule: `deploy failed, key ${KEY}`,
      event_status: "Warning",
      alert_key: `ak-${KEY.slice(2, 14)}`,
      description: `push URL https://api.flashcat.cloud/event/push/alert/standard?integration_key=${KEY}`,
      labels: { host: "db-1", note: `copied ${KEY.slice(5)}` },
      images: [{ src: `https://img.example/${KEY}.png`, alt: "graph" }],
    });
    expect(masked).toEqual(["title_rule", "alert_key", "description", "labels.note", "images[0].src"]);
    expect(holdsNoPiece(JSON.stringify(event))).toBe(true);
    expect(event.title_rule).toMatch(/^deploy failed, key \*{4}#/);
    expect(event.labels?.host).toBe("db-1");
  });

  test("an event with no key is sent as it is, with nothing said", () => {
    const given = { title_rule: "disk 91% on db-1", event_status: "Info" as const, labels: { host: "db-1" } };
    const prepared = prepareEvent(given);
    expect(prepared.masked).toEqual([]);
    expect(prepared.event).toEqual(given);
    expect(preparationWarnings(prepared)).toEqual([]);
  });

  test("a masked field at its limit stays within it: the mask is longer than the piece it covers", () => {
    const title = `${"t".repeat(LIMITS.title_rule - 8)}${KEY.slice(0, 8)}`;
    const { event, masked } = prepareEvent({ title_rule: title, event_status: "Info" });
    expect(masked).toEqual(["title_rule"]);
    expect([...(event.title_rule as string)].length).toBeLessThanOrEqual(LIMITS.title_rule);
    expect(holdsNoPiece(event.title_rule as string)).toBe(true);
  });

  test("a label named with the key is refused: masked, it would not be a label name Flashduty accepts", () => {
    let thrown: unknown;
    try {
      prepareEvent({ title_rule: "t", event_status: "Info", labels: { [KEY]: "x" } });
    } catch (error) {
      thrown = error;
    }
    expect(FlashdutyValidationError.isInstance(thrown)).toBe(true);
    const error = thrown as FlashdutyValidationError;
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/integration key.*rename the label/);
    expect(holdsNoPiece(`${error.message} ${JSON.stringify(error.issues)}`)).toBe(true);
  });

  test("the warnings name each masked field beside each truncation", () => {
    const prepared = prepareEvent({
      title_rule: "x".repeat(LIMITS.title_rule + 1),
      event_status: "Info",
      description: KEY,
    });
    expect(preparationWarnings(prepared)).toEqual([
      `title_rule was ${LIMITS.title_rule + 1} characters; truncated to ${LIMITS.title_rule} as Flashduty would`,
      "description held an integration key (or a piece of one): it is sent with the key masked",
    ]);
  });
});

describe("an event found clean is checked again once a key is added", () => {
  test("the same texts, clean before the key they hold was registered, are masked after", () => {
    const later = "zxcvLaterRegisteredKeyPoiuYtrEwq";
    const event = { title_rule: `rotated to ${later}`, event_status: "Info" as const, labels: { a: "b" } };
    expect(prepareEvent(event).masked).toEqual([]);
    expect(prepareEvent(event).masked).toEqual([]);
    registerSecret(later);
    const prepared = prepareEvent(event);
    expect(prepared.masked).toEqual(["title_rule"]);
    expect(prepared.event.title_rule).not.toContain(later.slice(0, 8));
  });
});

describe("prepareChange masks it too", () => {
  test("in the title, the link and a label", () => {
    const { event, masked } = prepareChange({
      title: `release ${KEY}`,
      change_status: "Done",
      change_key: "CHG-1",
      link: `https://ci.example/job?integration_key=${KEY}`,
      labels: { by: KEY },
    });
    expect(masked).toEqual(["title", "link", "labels.by"]);
    expect(holdsNoPiece(JSON.stringify(event))).toBe(true);
  });
});

describe("what Flashduty receives", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ rateLimit: false, integrationKeys: [KEY] });
  });
  afterAll(async () => {
    await mock.close();
  });

  test("a push whose description quotes the push URL arrives masked, and the instance's logger is told", async () => {
    const warnings: string[] = [];
    const flashduty = createFlashCall({
      baseUrl: mock.baseUrl,
      integrationKey: KEY,
      rateLimit: false,
      logger: {
        warn: (line: string) => warnings.push(line),
        error: () => {},
        info: () => {},
        debug: () => {},
      },
    });
    const result = await flashduty.push({
      title_rule: "webhook failing",
      event_status: "Critical",
      description: `see ${mock.baseUrl}/event/push/alert/standard?integration_key=${KEY}`,
    });
    const received = mock.events.find((event) => event.alert_key === result.data.alert_key);
    expect(received?.description).toMatch(/integration_key=\*/);
    expect(holdsNoPiece(JSON.stringify(mock.events))).toBe(true);
    expect(warnings.join("\n")).toContain("description held an integration key");
    expect(holdsNoPiece(warnings.join("\n"))).toBe(true);
  });
});
