import { describe, expect, test } from "vitest";
import { OverriddenLabels } from "./overridden-labels.js";

/** One event as read and as prepared: the flags merged under its own labels, each value sent as text. */
function noteEvent(
  overridden: OverriddenLabels,
  flags: Record<string, string>,
  labels?: Record<string, unknown>,
) {
  const given = labels === undefined ? {} : { labels };
  const sent: Record<string, string> = { ...flags };
  for (const [name, value] of Object.entries(labels ?? {})) sent[name] = String(value);
  overridden.note(given, { labels: sent });
}

describe("OverriddenLabels", () => {
  test("says nothing when no event's own label gives a flag another value", () => {
    const flags = { env: "prod" };
    const overridden = new OverriddenLabels(flags);
    noteEvent(overridden, flags);
    noteEvent(overridden, flags, {});
    noteEvent(overridden, flags, { env: "prod", team: "db" });
    expect(overridden.message()).toBeUndefined();
  });

  test("names each overridden flag once and counts the events, never quoting a value", () => {
    const flags = { env: "prod", team: "db", region: "eu" };
    const overridden = new OverriddenLabels(flags);
    noteEvent(overridden, flags, { env: "s3cr3t-staging" });
    noteEvent(overridden, flags, { env: "dev", team: "web" });
    noteEvent(overridden, flags, { region: "eu" });
    const message = overridden.message();
    expect(message).toBe(
      "--label env, team were not sent with 2 events: their own labels of those names have other values, and an event's own labels win",
    );
    expect(message).not.toContain("s3cr3t");
    expect(message).not.toContain("prod");
  });

  test("a number or boolean label sent as the flag's text is the flag's value, another one is not", () => {
    const flags = { port: "8080", debug: "true", ratio: "1.0" };
    const overridden = new OverriddenLabels(flags);
    noteEvent(overridden, flags, { port: 8080, debug: true });
    expect(overridden.message()).toBeUndefined();
    // 1.0 in JSON is the number 1, sent as "1": not the flag's "1.0".
    noteEvent(overridden, flags, { port: 8081, debug: false, ratio: 1 });
    expect(overridden.message()).toBe(
      "--label port, debug, ratio were not sent with 1 event: their own labels of those names have other values, and an event's own labels win",
    );
  });

  test("a label given exactly as the flag is not another value when what is sent of both is cut", () => {
    const long = "v".repeat(3000);
    const overridden = new OverriddenLabels({ note: long });
    overridden.note({ labels: { note: long } }, { labels: { note: long.slice(0, 2048) } });
    expect(overridden.message()).toBeUndefined();
  });

  test("an inherited name is not the event's own label, and labels that are no object note nothing", () => {
    const overridden = new OverriddenLabels({ toString: "x", env: "prod" });
    overridden.note({ labels: {} }, { labels: { toString: "x", env: "prod" } });
    overridden.note({ labels: "env=dev" }, { labels: { env: "dev" } });
    overridden.note({ labels: ["dev"] }, {});
    expect(overridden.message()).toBeUndefined();
  });
});
