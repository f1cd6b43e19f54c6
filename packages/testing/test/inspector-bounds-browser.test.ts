// The inspector in Chromium with the largest events the mock accepts: the page is sent a bounded part of each
// (and says what it left out), so it stays small and quick to redraw; the NDJSON downloads keep everything.
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumPath, chromiumUnavailableReason } from "../../../test-support/chromium.js";
import { type MockServer, startMockServer } from "../src/mock-server.js";

const unavailable = chromiumUnavailableReason();

const push = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
};

describe.skipIf(unavailable !== undefined)("the inspector in Chromium, with the largest events", () => {
  let server: MockServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startMockServer();
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a 1 MiB change title and 3,000 images are shown in part, marked, laid out only on screen; the downloads keep all", async () => {
    const title = `${"T".repeat(1024 * 1024)}END`;
    await push(server.changePushUrl, { change_status: "Done", change_key: "long", title });
    const images = Array.from({ length: 3000 }, (_, index) => ({
      src: `https://example.com/${index}.png`,
      alt: `a${index}`,
    }));
    await push(server.pushUrl, {
      title_rule: "many images",
      event_status: "Info",
      alert_key: "images",
      images,
    });

    await page.goto(server.inspectorUrl!);
    await page.waitForFunction(() => document.body.dataset.entries === "2");
    const textLength = await page.evaluate(() => document.body.textContent?.length ?? 0);
    expect(textLength).toBeLessThan(100_000);
    expect(await page.locator("figure").count()).toBe(50);
    await expect(page.getByText("2950 more images not shown here").count()).resolves.toBe(1);
    const shownTitle = `${"T".repeat(2048)} … (${title.length - 2048} more characters not shown here; the NDJSON download has them)`;
    const longTitles = page.getByText(shownTitle, { exact: true });
    expect(await longTitles.count()).toBeGreaterThan(0);

    // Only what is on screen is laid out: each event and request is skipped while off it.
    const skipped = await page.evaluate(() =>
      [".alert", ".event", ".change", ".request"].map(
        (selector) => getComputedStyle(document.querySelector(selector)!).contentVisibility,
      ),
    );
    expect(skipped).toEqual(["auto", "auto", "auto", "auto"]);

    const changes = await (await fetch(`${server.url}/inspector/changes.ndjson`)).text();
    expect(JSON.parse(changes).title).toBe(title);
    const alerts = await (await fetch(`${server.url}/inspector/events.ndjson`)).text();
    expect(JSON.parse(alerts).images).toHaveLength(3000);
  });
});
