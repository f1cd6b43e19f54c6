// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flashduty's title rules are written with ${label}, as text.
import { CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { maskKey } from "@flash-call/errors";
import { describe, expect, test } from "vitest";
import { leakedPieces } from "../../../test-support/key-pieces.js";
import { startMockServer } from "./mock-server.js";

// Letters and digits only, so that it may stand in a label name; no mock knows it before it is sent.
const KEY = "Hq7Wb2Nx5Rt8Lm3Zp6Vs9Kd4Fy1Gc0Ae";

/** Every byte of `text` percent-encoded, as a hand-built URL or a proxy may write a key. */
const percentEncoded = (text: string) =>
  [...text].map((unit) => `%${unit.charCodeAt(0).toString(16).toUpperCase()}`).join("");

/** Pieces of KEY that `text` holds, in any case of its letters, raw or with its percent escapes decoded. */
function leaks(text: string): string[] {
  const decoded = text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return [
    ...leakedPieces(text.toLowerCase(), KEY.toLowerCase()),
    ...leakedPieces(decoded.toLowerCase(), KEY.toLowerCase()),
  ];
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("a key a client writes into what it pushes (not an SDK, which masks it: curl, another language)", () => {
  test("is masked, in any case, encoding or piece, in what the mock answers, records, shows and offers to download", async () => {
    const server = await startMockServer();
    try {
      const alertUrl = `${server.url}${PUSH_PATH}?integration_key=${KEY}`;
      const changeUrl = `${server.url}${CHANGE_PUSH_PATH}?integration_key=${KEY}`;
      const sent = [
        await post(alertUrl, {
          title_rule: `disk full, key ${KEY}`,
          event_status: "Critical",
          alert_key: KEY.slice(2, 14),
          description: KEY.toUpperCase(),
          labels: { encoded: percentEncoded(KEY), [`by_${KEY.slice(0, 10)}`]: "x" },
          images: [{ src: `https://img.example/${KEY}.png`, href: `https://x.example/?k=${KEY}`, alt: KEY }],
        }),
        // Pieces too short to be a key each, which the title Flashduty renders puts back together.
        await post(alertUrl, {
          title_rule: "[TPL]${a}${b}${c}${d}${e}",
          event_status: "Info",
          labels: Object.fromEntries(
            ["a", "b", "c", "d", "e"].map((name, at) => [name, KEY.slice(at * 7, at * 7 + 7)]),
          ),
        }),
        await post(alertUrl, { title_rule: "t", event_status: KEY.toUpperCase() }),
        await post(alertUrl, { title_rule: "t", event_status: percentEncoded(KEY) }),
        await post(alertUrl, {
          title_rule: "t",
          event_status: "Info",
          labels: { [`a-${KEY.slice(4, 16)}`]: "x" },
        }),
        await post(changeUrl, {
          title: `deploy ${KEY.toLowerCase()}`,
          change_status: "Done",
          change_key: KEY,
          link: `https://ci.example/${KEY}`,
        }),
      ];
      const answers = await Promise.all(
        sent.map(async (answer) => `${answer.status} ${await answer.text()}`),
      );
      expect(answers.map((answer) => answer.slice(0, 3))).toEqual(["200", "200", "400", "400", "400", "200"]);
      const feed = await fetch(`${server.url}/inspector/events`);
      const reader = (feed.body as ReadableStream<Uint8Array>).getReader();
      let feedText = "";
      while (feedText.split("event: request\n").length - 1 < server.requests.length) {
        const { value, done } = await reader.read();
        if (done) break;
        feedText += new TextDecoder().decode(value);
      }
      await reader.cancel();
      const shown = {
        answers: answers.join("\n"),
        events: JSON.stringify(server.events),
        requests: JSON.stringify(server.requests),
        alerts: JSON.stringify([...server.alerts]),
        changeEvents: JSON.stringify(server.changeEvents),
        changes: JSON.stringify([...server.changes]),
        feed: feedText,
        alertDownload: await (await fetch(`${server.url}/inspector/events.ndjson`)).text(),
        changeDownload: await (await fetch(`${server.url}/inspector/changes.ndjson`)).text(),
      };
      for (const [surface, text] of Object.entries(shown)) expect(leaks(text), surface).toEqual([]);
      // Masked as the event's integration shows the key: the fingerprint tells which key it was.
      expect(server.events[0]?.title_rule).toBe(`disk full, key ${maskKey(KEY)}`);
      expect(server.changeEvents[0]?.change_key).toBe(maskKey(KEY));
    } finally {
      await server.close();
    }
  });
});
