import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { INSPECTOR_CSP, INSPECTOR_HTML } from "./inspector-page.js";
import { INSPECTOR_SCRIPT } from "./inspector-script.js";

describe("the inspector page", () => {
  // Room for the page with both alerts and change events (18.3 kB), kept tight so that growth is a decision.
  test("stays small: under 18.5 kB as served and 6 kB gzipped (README: 18.3 kB and 5.9 kB)", () => {
    expect(Buffer.byteLength(INSPECTOR_HTML)).toBeLessThan(18_500);
    expect(gzipSync(INSPECTOR_HTML, { level: 9 }).length).toBeLessThan(6_000);
  });

  test("loads nothing from anywhere: no URL, no external script, style or font", () => {
    expect(INSPECTOR_HTML).not.toMatch(/https?:\/\//);
    expect(INSPECTOR_HTML).not.toMatch(/<script[^>]*\bsrc=|<link\b/i);
    expect(INSPECTOR_HTML).not.toMatch(/@import|[^A-Za-z]url\(/);
    expect(INSPECTOR_CSP).toContain("connect-src 'self'");
  });

  test("its script never writes markup: no innerHTML, outerHTML, insertAdjacentHTML or document.write", () => {
    expect(INSPECTOR_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
