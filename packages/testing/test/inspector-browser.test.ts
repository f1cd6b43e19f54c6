// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flashduty's title rules are written with ${label}, as text.
// The inspector in a real browser: Debian's Chromium, driven by playwright-core over the DevTools protocol.
// Events arrive through the SDK, the built CLI and plain HTTP; every wait is for a DOM state, never a duration.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumPath, chromiumUnavailableReason } from "../../../test-support/chromium.js";
import { keyPieces } from "../../../test-support/key-pieces.js";
import { skipReasonOutsideCi } from "../../../test-support/required-tool.js";
import { spawnCollect } from "../../../test-support/spawn-collect.mjs";
import { createFlashCall } from "../../flash-call/src/index.js";
import { type MockServer, startMockServer } from "../src/mock-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const cliBin = join(here, "..", "..", "cli", "dist", "bin.cjs");
const screenshotPath = join(here, "..", "docs", "inspector.png");
const unavailable =
  chromiumUnavailableReason() ??
  skipReasonOutsideCi(existsSync(cliBin) ? undefined : "the CLI is not built (run `pnpm build` first)");

/** Runs the built CLI; the mock answers from this process, so it must not be blocked while the CLI runs. */
function runCli(args: string[], env: Record<string, string>) {
  return spawnCollect(process.execPath, [cliBin, ...args], { env: { ...process.env, ...env } });
}

/** Reads an SSE stream in the background, keeping every message as text. */
async function recordStream(url: string): Promise<{ messages: string[]; stop: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const messages: string[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return { messages, stop: () => controller.abort() };
}

const HOSTILE = `<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>`;

describe.skipIf(unavailable !== undefined)("the inspector in Chromium", () => {
  let server: MockServer;
  let browser: Browser;
  let page: Page;
  let stream: Awaited<ReturnType<typeof recordStream>>;
  const key = "k3Yq9vTz7Hc2Lw8Rp4Ns6Bd1Gf5Jm0Xa";
  // A change integration has its own key (and so its own rate-limit windows).
  const changeKey = "cH4nGeQ2wE9rT7yU3iO5pA8sD1fG6hJ0";
  let changePushUrl: string;

  beforeAll(async () => {
    // Six accepted pushes a minute per key: the seventh alert shows a 429 with the window it exceeded.
    server = await startMockServer({ integrationKeys: [key, changeKey], rateLimit: { perMinute: 6 } });
    changePushUrl = server.changePushUrl.replace(encodeURIComponent(key), encodeURIComponent(changeKey));
    stream = await recordStream(`${server.url}/inspector/events`);
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(server.inspectorUrl!);
    await page.waitForSelector("body[data-connection=live]");
  });

  afterAll(async () => {
    stream?.stop();
    await browser?.close();
    await server?.close();
  });

  const waitForEntries = (count: number) =>
    page.waitForFunction((expected) => document.body.dataset.entries === String(expected), count);
  const card = (alertKey: string) => page.locator(`article.alert[data-alert-key="${alertKey}"]`);
  const changeCard = (changeKey: string) => page.locator(`article.change[data-change-key="${changeKey}"]`);
  const count = (selector: string) => page.locator(selector).count();

  test("shows what arrives through the SDK, the CLI and plain HTTP: titles rendered, lifecycle, marks, answers", async () => {
    const sdk = createFlashCall({ pushUrl: server.pushUrl, backoff: { baseMs: 1, maxMs: 1 } });
    const alert = await sdk.fire({
      title_rule: "[TPL]${host}: disk {{.Labels.mount}} {{.EventSeverity}}",
      event_status: "Critical",
      alert_key: "disk-db-1",
      labels: { host: "db-1", mount: "/var" },
      images: [{ src: "https://example.com/graph.png", alt: "disk graph", href: "https://example.com/d" }],
    });
    await alert.resolve();
    await sdk.push({
      title_rule: HOSTILE,
      event_status: "Info",
      alert_key: "hostile",
      labels: { note: HOSTILE },
    });
    // A proxy's HTML 502 first: the SDK retries and the push gets through.
    server.failNext({ kind: "html" });
    await sdk.push({
      title_rule: "{{.Title}} stays literal",
      event_status: "Warning",
      alert_key: "after-502",
    });
    await sdk.close();

    const cli = await runCli(
      [
        "push",
        "--title",
        "$service::$check",
        "--status",
        "Warning",
        "--label",
        "service=api",
        "--label",
        "check=latency",
      ],
      { FLASHDUTY_PUSH_URL: server.pushUrl },
    );
    expect(cli.status).toBe(0);
    const wrongKey = server.pushUrl.replace(encodeURIComponent(key), "not-the-mock-key-0000");
    const rejected = await runCli(["push", "--title", "refused", "--status", "Info"], {
      FLASHDUTY_PUSH_URL: wrongKey,
    });
    expect(rejected.status).not.toBe(0);

    // A client that does not truncate (curl, a script): the mock truncates as Flashduty does, and says so.
    await fetch(server.pushUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        // 22 + 75 × 8 = 622 characters, over Flashduty's 512.
        title_rule: `Nightly batch summary:${" job ok;".repeat(75)}`,
        event_status: "Warning",
        alert_key: "long",
      }),
    });
    const limited = await fetch(server.pushUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title_rule: "one too many", event_status: "Info" }),
    });
    expect(limited.status).toBe(429);

    await waitForEntries(server.requests.length);
    expect(server.requests).toHaveLength(9);

    const disk = card("disk-db-1");
    await expect(disk.getAttribute("data-lifecycle")).resolves.toBe("resolved");
    expect(await disk.locator(".badge").first().textContent()).toBe("open → resolved");
    expect(await disk.locator(".event").count()).toBe(2);
    // The alert keeps the title it opened with: the Ok event does not retitle it.
    expect(await disk.locator(":scope > .title-block .title").textContent()).toBe("db-1: disk /var Critical");
    expect(await disk.locator(".event .title").first().textContent()).toBe("db-1: disk /var Critical");
    expect(await disk.locator("figure img").getAttribute("src")).toBe("https://example.com/graph.png");
    expect(await disk.locator("figure a").getAttribute("href")).toBe("https://example.com/d");
    expect(await disk.locator(".event").first().locator("table.labels th").allTextContents()).toEqual([
      "host",
      "mount",
    ]);

    const fromCli = page.locator("article.alert", { hasText: "api / latency" });
    expect(await fromCli.locator(".title-block .title").first().textContent()).toBe("api / latency");
    expect(await fromCli.locator(".rule").first().textContent()).toBe("title_rule: $service::$check");

    expect(await card("after-502").locator(".title").first().textContent()).toBe("{{.Title}} stays literal");
    expect(await card("long").locator(".mark.adjustment").textContent()).toBe(
      "title_rule truncated 622 → 512 characters",
    );

    const rows = page.locator("li.request");
    expect(
      await rows.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status)),
    ).toEqual(["429", "200", "400", "200", "200", "502", "200", "200", "200"]);
    expect(await page.locator('li.request[data-status="400"] .outcome').textContent()).toBe(
      "InvalidParameter: integration_key is not a valid one",
    );
    expect(await page.locator('li.request[data-status="429"] .outcome').textContent()).toBe(
      "RequestTooFrequently: request too frequently · 6 per minute exceeded",
    );
    expect(await page.locator('li.request[data-status="502"] .outcome').textContent()).toBe(
      "answered 502 · injected fault: html",
    );
  });

  test("shows change events from the SDK and the CLI grouped by change_key, with their status line", async () => {
    const sdk = createFlashCall({ changePushUrl, backoff: { baseMs: 1, maxMs: 1 } });
    const deploy = await sdk.startChange({
      title: "Deploy api v2",
      change_status: "Processing",
      change_key: "deploy-42",
      link: "https://ci.example/42",
      labels: { service: "api" },
      event_time: 1_767_225_600, // 2026-01-01 00:00:00 UTC
    });
    await deploy.done({ description: "rolled out to 3 of 3 zones" });
    await sdk.close();

    const cliEnv = { FLASHDUTY_CHANGE_PUSH_URL: changePushUrl };
    const planned = await runCli(
      [
        "change",
        "--title",
        "Rotate certificates",
        "--status",
        "Planned",
        "--change-key",
        "CHG-7",
        "--link",
        "javascript:alert(1)",
        "--description",
        HOSTILE,
        "--label",
        "team=security",
      ],
      cliEnv,
    );
    expect(planned.status).toBe(0);
    const deployed = await runCli(
      ["deploy", "--title", "Deploy web", "--change-key", "deploy-web", "--", "true"],
      cliEnv,
    );
    expect(deployed.status).toBe(0);
    const wrongKey = changePushUrl.replace(encodeURIComponent(changeKey), "not-the-change-key-0000");
    const rejected = await runCli(
      ["change", "--title", "refused", "--status", "Done", "--change-key", "CHG-8"],
      { FLASHDUTY_CHANGE_PUSH_URL: wrongKey },
    );
    expect(rejected.status).not.toBe(0);
    // A client that does not truncate: the mock truncates the description as Flashduty does, and says so.
    const ready = await fetch(changePushUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        title: "Rotate certificates",
        change_status: "Ready",
        change_key: "CHG-7",
        description: "step; ".repeat(500),
      }),
    });
    expect(ready.status).toBe(200);

    await waitForEntries(server.requests.length);
    expect(server.changeEvents).toHaveLength(6);
    expect(await page.locator("#changes").isVisible()).toBe(true);
    expect(await page.locator("#changes-count").textContent()).toBe("3");
    // Newest change first, as alerts are.
    expect(
      await page
        .locator("article.change")
        .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.changeKey)),
    ).toEqual(["deploy-web", "CHG-7", "deploy-42"]);

    const api = changeCard("deploy-42");
    expect(await api.locator(".badge").first().textContent()).toBe("Done");
    expect(await api.locator(".status-line b").allTextContents()).toEqual(["Processing", "Done"]);
    expect(await api.locator(".status-line").textContent()).toMatch(/^Processing .+ → Done .+$/);
    expect(await api.locator(":scope > .title").textContent()).toBe("Deploy api v2");
    expect(await api.locator(".event").count()).toBe(2);
    const first = api.locator(".event").first();
    expect(await first.locator(".link a").getAttribute("href")).toBe("https://ci.example/42");
    expect(await first.locator(".link a").textContent()).toBe("https://ci.example/42");
    expect(await first.locator("table.labels th").allTextContents()).toEqual(["service"]);
    expect(await first.locator(".time", { hasText: "event_time" }).textContent()).toContain(
      "2026-01-01 00:00:00Z UTC",
    );
    expect(await api.locator(".event .description").textContent()).toBe("rolled out to 3 of 3 zones");

    // A link that is not http(s) is shown as the text it is, never as a link.
    const certs = changeCard("CHG-7");
    expect(await certs.locator(".link a").count()).toBe(0);
    expect(await certs.locator(".link code").textContent()).toBe("javascript:alert(1)");
    expect(await certs.locator(".status-line b").allTextContents()).toEqual(["Planned", "Ready"]);
    expect(await certs.locator(".mark.adjustment").textContent()).toBe(
      "description truncated 3000 → 2048 characters",
    );

    expect(await changeCard("deploy-web").locator(".status-line b").allTextContents()).toEqual([
      "Processing",
      "Done",
    ]);

    const changeRows = page.locator("li.request", { hasText: "/event/push/change/standard" });
    expect(
      await changeRows.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status)),
    ).toEqual(["200", "400", "200", "200", "200", "200", "200"]);
    expect(await changeRows.first().locator(".outcome").textContent()).toBe(
      "accepted · change_key CHG-7 · description truncated 3000 → 2048 characters",
    );
    expect(await changeRows.nth(1).locator(".outcome").textContent()).toBe(
      "InvalidParameter: integration_key is not a valid one",
    );
    expect(await changeRows.nth(2).locator(".outcome").textContent()).toBe(
      "accepted · change_key deploy-web",
    );
  });

  test("event data is shown as text: markup in a title or a label never becomes elements or runs", async () => {
    const hostile = card("hostile");
    expect(await hostile.locator(".title").first().textContent()).toBe(HOSTILE);
    expect(await hostile.locator("table.labels td").textContent()).toBe(HOSTILE);
    expect(await changeCard("CHG-7").locator(".description").first().textContent()).toBe(HOSTILE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test("filters by status, alert_key and label", async () => {
    const visibleKeys = () =>
      page
        .locator("article.alert")
        .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.alertKey));

    await page.selectOption("#filter-status", "Ok");
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 1);
    expect(await visibleKeys()).toEqual(["disk-db-1"]);
    await page.waitForFunction(
      () => document.querySelectorAll('article.alert[data-alert-key="disk-db-1"] .event').length === 1,
    );

    expect(await count("article.change")).toBe(0);

    await page.selectOption("#filter-status", "Done");
    await page.waitForFunction(() => document.querySelectorAll("article.change").length === 2);
    expect(await count("article.alert")).toBe(0);
    expect(await changeCard("deploy-42").locator(".status-line b").allTextContents()).toEqual(["Done"]);

    await page.selectOption("#filter-status", "rejected");
    await page.waitForFunction(() => document.querySelectorAll("article.change").length === 0);
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 0);
    // The filtered request list is drawn with the alerts, but wait for it rather than assume the same frame.
    await page.waitForFunction(() => document.querySelectorAll("li.request").length === 4);

    await page.selectOption("#filter-status", "");
    await page.fill("#filter-key", "disk");
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 1);
    expect(await visibleKeys()).toEqual(["disk-db-1"]);

    expect(await count("article.change")).toBe(0);

    // The key filter matches change_key too.
    await page.fill("#filter-key", "deploy-4");
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 0);
    await page.waitForFunction(() => document.querySelectorAll("article.change").length === 1);
    expect(await changeCard("deploy-42").count()).toBe(1);
    expect(await count("li.request")).toBe(2);

    await page.fill("#filter-key", "");
    await page.fill("#filter-label", "service=api");
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 1);
    expect(await page.locator("article.alert .title-block .title").first().textContent()).toBe(
      "api / latency",
    );
    await page.waitForFunction(() => document.querySelectorAll("article.change").length === 1);
    expect(await changeCard("deploy-42").count()).toBe(1);

    await page.fill("#filter-label", "");
    await page.waitForFunction(() => document.querySelectorAll("article.alert").length === 5);
    await page.waitForFunction(() => document.querySelectorAll("article.change").length === 3);
  });

  test("reads on a phone-width screen and in dark mode", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.emulateMedia({ colorScheme: "dark" });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(19, 20, 23)");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1100, height: 900 });
    if (process.env.UPDATE_SCREENSHOT === "1") {
      mkdirSync(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });
    }
  });

  test("the NDJSON download replays through `flash-call push --file` into a second mock", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const file = join(mkdtempSync(join(tmpdir(), "inspector-")), "events.ndjson");
    await download.saveAs(file);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(server.events.length);

    const second = await startMockServer();
    try {
      const replay = await runCli(["push", "--file", file], { FLASHDUTY_PUSH_URL: second.pushUrl });
      expect(replay.status).toBe(0);
      // The CLI sends a batch's alerts side by side (each alert_key's events in order), so compare as sets;
      // a generated alert_key depends on the integration, so it differs from one mock to the other.
      const summary = (events: MockServer["events"]) =>
        events
          .map((event) => JSON.stringify([event.event_status, event.rendered_title, event.labels]))
          .sort();
      expect(summary(second.events)).toEqual(summary(server.events));
      expect(second.alerts.get("disk-db-1")?.status).toBe("resolved");
    } finally {
      await second.close();
    }
  });

  test("the changes NDJSON download replays through `flash-call change --file` into a second mock, identical", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-changes")]);
    expect(download.suggestedFilename()).toBe("flash-call-mock-changes.ndjson");
    const file = join(mkdtempSync(join(tmpdir(), "inspector-")), "changes.ndjson");
    await download.saveAs(file);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(server.changeEvents.length);
    expect(JSON.parse(lines.at(-1)!).description).toHaveLength(3000);

    const second = await startMockServer();
    try {
      const replay = await runCli(["change", "--file", file], {
        FLASHDUTY_CHANGE_PUSH_URL: second.changePushUrl,
      });
      expect(replay.status).toBe(0);
      // The download holds the bodies as sent, the long description whole: the CLI truncates it as Flashduty
      // would before sending, and says so.
      expect(replay.stderr).toContain("description");
      // What differs is the receipt: a new request id, time and integration.
      const stored = (events: MockServer["changeEvents"]) =>
        events.map(({ request_id: _id, received_at: _at, integration: _to, ...event }) => event);
      expect(stored(second.changeEvents)).toEqual(stored(server.changeEvents));
    } finally {
      await second.close();
    }
  });

  test("never shows any piece of either key: not in the page, its feed or its downloads", async () => {
    const html = await page.content();
    const served = await (await fetch(server.inspectorUrl!)).text();
    const downloads = await Promise.all(
      ["events", "changes"].map(async (name) =>
        (await fetch(`${server.url}/inspector/${name}.ndjson`)).text(),
      ),
    );
    const feed = stream.messages.join("\n\n");
    expect(stream.messages.filter((message) => message.startsWith("event: request"))).toHaveLength(16);
    expect(stream.messages.filter((message) => message.startsWith("event: change"))).toHaveLength(6);
    for (const piece of keyPieces([key, changeKey])) {
      expect(html).not.toContain(piece);
      expect(served).not.toContain(piece);
      expect(feed).not.toContain(piece);
      for (const text of downloads) expect(text).not.toContain(piece);
    }
  });

  test("clear refuses another origin, and the page's button clears the mock's records", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(`${server.url}/inspector/clear`);
      const sent = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { origin: "https://evil.example" },
        },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode);
        },
      );
      sent.on("error", reject);
      sent.end();
    });
    expect(status).toBe(403);
    expect(server.events.length).toBeGreaterThan(0);

    await page.click("#clear");
    await waitForEntries(0);
    expect(server.events).toHaveLength(0);
    expect(server.changeEvents).toHaveLength(0);
    expect(await page.locator("article.alert").count()).toBe(0);
    expect(await page.locator("article.change").count()).toBe(0);
    expect(await page.locator("#changes-count").textContent()).toBe("0");
  });

  test("a newcomer: `flash-call mock`, open the address it prints, run the README's CLI example, see the alert", async () => {
    const mock = spawn(process.execPath, [cliBin, "mock", "--port", "0"]);
    const exited = new Promise((resolve) => mock.once("close", resolve));
    let printed = "";
    const address = new Promise<{ inspector: string; pushUrl: string }>((resolve, reject) => {
      mock.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        printed += chunk;
        const inspector = /^inspector .*: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(printed)?.[1];
        const pushUrl = /^\s+(http:\/\/127\.0\.0\.1:\d+\S+)$/m.exec(printed)?.[1];
        if (inspector !== undefined && pushUrl !== undefined) resolve({ inspector, pushUrl });
      });
      mock.on("close", () => reject(new Error(`flash-call mock exited:\n${printed}`)));
    });
    const newcomer = await browser.newPage();
    try {
      const { inspector, pushUrl } = await address;
      await newcomer.goto(inspector);
      await newcomer.waitForSelector("body[data-connection=live]");
      const example = await runCli(
        ["push", "--title", "disk full on db-1", "--status", "Critical", "--label", "host=db-1"],
        { FLASHDUTY_PUSH_URL: pushUrl },
      );
      expect(example.status).toBe(0);
      const title = newcomer.locator("article.alert .title-block .title").first();
      await title.waitFor();
      expect(await title.textContent()).toBe("disk full on db-1");
      expect(await newcomer.locator("article.alert table.labels td").textContent()).toBe("db-1");
    } finally {
      await newcomer.close();
      mock.kill("SIGINT");
      await exited;
    }
  });

  test("the page says so when the server closes (its event stream ends)", async () => {
    const other = await startMockServer();
    const otherPage = await browser.newPage();
    try {
      await otherPage.goto(other.inspectorUrl!);
      await otherPage.waitForSelector("body[data-connection=live]");
      await other.close();
      await otherPage.waitForSelector("body[data-connection=reconnecting]");
    } finally {
      await otherPage.close();
    }
  });
});
