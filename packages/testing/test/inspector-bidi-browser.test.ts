// The inspector in Chromium with bidi controls in pushed text: a right-to-left override in one value (an image's
// alt, an alert_key) must not make the text after it read backwards, as a URL or an outcome spelled in reverse
// would mislead whoever reads the page.
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumPath, chromiumUnavailableReason } from "../../../test-support/chromium.js";
import { type MockServer, startMockServer } from "../src/mock-server.js";

const unavailable = chromiumUnavailableReason();
const OVERRIDE = "\u202E";

/** Whether `text`, wherever it is shown inside `selector`, reads left to right: its first letter left of its last. */
function readsLeftToRight(page: Page, selector: string, text: string): Promise<boolean[]> {
  return page.evaluate(
    ([within, wanted]) => {
      const results: boolean[] = [];
      for (const element of document.querySelectorAll(within)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let found = walker.nextNode(); found !== null; found = walker.nextNode()) {
          const start = found.textContent?.indexOf(wanted) ?? -1;
          if (start < 0) continue;
          const left = (offset: number) => {
            const range = document.createRange();
            range.setStart(found, offset);
            range.setEnd(found, offset + 1);
            return range.getBoundingClientRect().left;
          };
          results.push(left(start) < left(start + wanted.length - 1));
        }
      }
      return results;
    },
    [selector, text] as const,
  );
}

describe.skipIf(unavailable !== undefined)("the inspector in Chromium, with bidi controls in events", () => {
  let server: MockServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startMockServer();
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("an override in an image's alt or an alert_key does not reverse the src or the outcome after it", async () => {
    const response = await fetch(server.pushUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        title_rule: "t".repeat(600),
        event_status: "Critical",
        alert_key: `key${OVERRIDE}`,
        images: [{ src: "https://e.co/assent.png", alt: `graph${OVERRIDE}` }],
      }),
    });
    expect(response.status).toBe(200);
    await page.goto(server.inspectorUrl!);
    await page.waitForFunction(() => document.body.dataset.entries === "1");

    expect(await readsLeftToRight(page, "figcaption", "assent")).toEqual([true]);
    expect(await readsLeftToRight(page, ".request .outcome", "title_rule truncated")).toEqual([true]);
  });

  test("keys that differ only by an invisible character are told apart: it is spelled out in the key shown", async () => {
    for (const alertKey of ["disk", "disk\u200b", "disk\u202e"]) {
      const response = await fetch(server.pushUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title_rule: "disk full", event_status: "Warning", alert_key: alertKey }),
      });
      expect(response.status).toBe(200);
    }
    await page.goto(server.inspectorUrl!);
    await page.waitForFunction(() => document.body.dataset.entries === "4");
    const shown = await page.locator("article.alert code.key").allTextContents();
    expect(shown.filter((text) => text.startsWith("disk")).sort()).toEqual([
      "disk",
      "disk⟨U+200B⟩",
      "disk⟨U+202E⟩",
    ]);
    // The card still carries the key itself, for a test or a script to find it by.
    expect(await page.locator('article.alert[data-alert-key="disk\u200b"]').count()).toBe(1);
  });
});
