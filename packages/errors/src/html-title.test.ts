import { describe, expect, test } from "vitest";
import { htmlTitle, TITLE_SEARCH_LENGTH } from "./html-title.js";

describe("htmlTitle", () => {
  test.each([
    ["<html><head><title> 502 Bad Gateway </title></head>", "502 Bad Gateway"],
    ['<TITLE lang="en">Down\n  for\tmaintenance</TITLE>', "Down for maintenance"],
    ["<titlebar>x</titlebar><title>real</title>", "real"],
    ["<title/>x<", "x"],
    ["<html><title>never closed", undefined],
    ["<title", undefined],
    ["<title></title>", undefined],
    ["<html><body>no title</body></html>", undefined],
  ])("%j", (html, expected) => {
    expect(htmlTitle(html)).toBe(expected);
  });

  test("looks only at the head of the page", () => {
    expect(htmlTitle(`${" ".repeat(TITLE_SEARCH_LENGTH)}<title>late</title>`)).toBeUndefined();
  });
});
