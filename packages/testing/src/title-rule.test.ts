// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flashduty's title rules are written with ${label}, as text.
import { describe, expect, test } from "vitest";
import { type RenderedTitle, renderTitle, type TitleSource } from "./title-rule.js";

const both = { resource: "127.0.0.1", check: "cpu idle low" };
const resourceOnly = { resource: "127.0.0.1" };
const event = (title_rule: string, extra: Partial<TitleSource> = {}): TitleSource => ({
  title_rule,
  event_status: "Warning",
  alert_key: "9qJ798NJoXS4UMVB5SHsNj",
  ...extra,
});

// Flashduty's own examples, row for row. Sources (the package README lists them too):
// - "simplified": docs.flashcat.cloud/zh/flashduty/customize-incident-attrs (2024-05-11), 通过简化语法生成
// - "${}" and "{{}}": docs.flashcat.cloud/en/on-call/advanced/reference-variables (flashduty-docs repository,
//   en/on-call/advanced/reference-variables.mdx); the older page rendered a missing {{.Labels.x}} as
//   <no value>, the current one as empty: the newer page wins.
describe("Flashduty's documented examples", () => {
  test.each<[string, Record<string, string>, string]>([
    ["$resource::$check", both, "127.0.0.1 / cpu idle low"],
    ["$resource::$check", resourceOnly, "127.0.0.1 / $check"],
    ["$resource::主机宕机", resourceOnly, "127.0.0.1 / 主机宕机"],
  ])("simplified %s with %j → %s", (rule, labels, expected) => {
    expect(renderTitle(event(rule, { labels }))).toEqual({ text: expected, form: "simplified" });
  });

  test.each<[string, Record<string, string>, string]>([
    ["[TPL]${resource} / ${check}", both, "127.0.0.1 / cpu idle low"],
    ["[TPL]${resource} / ${check}", resourceOnly, "127.0.0.1 / <no value>"],
    ["[TPL]${resource} / Host Down", resourceOnly, "127.0.0.1 / Host Down"],
    ["[TPL]{{.Labels.resource}} / {{.Labels.check}}", both, "127.0.0.1 / cpu idle low"],
    ["[TPL]{{.Labels.resource}} / {{.Labels.check}}", resourceOnly, "127.0.0.1 / "],
  ])("template %s with %j → %s", (rule, labels, expected) => {
    expect(renderTitle(event(rule, { labels }))).toEqual({ text: expected, form: "template" });
  });

  test("[TPL]{{.EventSeverity}} / Host Down with a Warning event → Warning / Host Down", () => {
    expect(renderTitle(event("[TPL]{{.EventSeverity}} / Host Down"))).toEqual({
      text: "Warning / Host Down",
      form: "template",
    });
  });

  test("a plain title (the standard alert page's example) is shown as it is", () => {
    expect(renderTitle(event("cpu idle low than 20%"))).toEqual({
      text: "cpu idle low than 20%",
      form: "plain",
    });
  });
});

// The documented syntax applied to values of our own (the pages show the syntax, not these outputs).
describe("the documented rules on other inputs", () => {
  test.each<[string, Partial<TitleSource>, string, RenderedTitle["form"]]>([
    // The standard alert and dynamic-notification pages push this rule with these labels.
    [
      "$cluster::$resource::$check",
      { labels: { cluster: "nj", resource: "es.nj.01", check: "cpu.idle<20%" } },
      "nj / es.nj.01 / cpu.idle<20%",
      "simplified",
    ],
    // Flashduty's OceanBase script sends literal values joined by "::": fixed parts stay as they are.
    ["OB::disk full::ob_cluster=C1", {}, "OB / disk full / ob_cluster=C1", "simplified"],
    // alert-pipelines.mdx lists these forms.
    [
      "[TPL]{{.Labels.env}} Environment - {{.Labels.service}} Service CPU Load Alert",
      { labels: { env: "prod", service: "api" } },
      "prod Environment - api Service CPU Load Alert",
      "template",
    ],
    ["[TPL]Details: {{.Description}}", { description: "disk at 92%" }, "Details: disk at 92%", "template"],
    ["[TPL]Details: {{.Description}}", {}, "Details: ", "template"],
    [
      "[TPL]Current Level: {{ .EventSeverity }}",
      { event_status: "Critical" },
      "Current Level: Critical",
      "template",
    ],
    // reference-variables.mdx lists EventStatus, AlertKey and TitleRule among the event's fields.
    ["[TPL]{{.EventStatus}} {{.AlertKey}}", { event_status: "Ok" }, "Ok 9qJ798NJoXS4UMVB5SHsNj", "template"],
    ["[TPL]rule={{.TitleRule}}", {}, "rule=[TPL]rule={{.TitleRule}}", "template"],
    // Text that only looks like a template outside [TPL] is literal.
    ["{{.Title}} costs $5", {}, "{{.Title}} costs $5", "plain"],
    ["$resource", {}, "$resource", "plain"],
    // A label named like an Object.prototype member is only read when the event has it.
    ["[TPL]${constructor}/{{.Labels.toString}}", {}, "<no value>/", "template"],
  ])("%s → %s", (rule, extra, expected, form) => {
    expect(renderTitle(event(rule, extra))).toEqual({ text: expected, form });
  });
});

describe("what the mock does not know how Flashduty renders is shown raw and marked", () => {
  test.each<[string, Partial<TitleSource>, string]>([
    ["[TPL]{{.IntegrationName}}", {}, "{{.IntegrationName}}"],
    ["[TPL]{{if .Labels.x}}yes{{end}}", {}, "{{if .Labels.x}}"],
    ['[TPL]{{index .Labels "a.b"}}', {}, "{{index"],
    ["[TPL]{{- .Labels.x -}}", {}, "{{- .Labels.x -}}"],
    ["[TPL][Forwarded] {{.Title}}", {}, "{{.Title}}"],
    ["[TPL]{{.EventSeverity}}", { event_status: "Ok" }, "Ok event"],
    ["[TPL]${host name}", {}, "does not name a label"],
    ["[TPL]${resource", {}, "unclosed"],
    ["[TPL]{{.Labels.resource", {}, "unclosed"],
    ["[TPL]$resource", {}, "without braces"],
    ["$resource", { labels: resourceOnly }, "lone"],
    ["$resource :: $check", { labels: both }, "spaces"],
  ])("%s", (rule, extra, reasonPart) => {
    const rendered = renderTitle(event(rule, extra));
    expect(rendered.form).toBe("unrendered");
    expect(rendered.text).toBe(rule);
    expect(rendered.reason).toContain(reasonPart);
  });

  test("a reason quotes at most 40 characters of the rule", () => {
    const rendered = renderTitle(event(`[TPL]{{${"x".repeat(500)}}}`));
    expect(rendered.reason?.length).toBeLessThan(120);
  });
});

describe("hostile rules cost linear time", () => {
  // A generous bound on pathological input: a backtracking or quadratic scanner takes minutes here.
  test.each([
    ["${", "[TPL]"],
    ["{{", "[TPL]"],
    ["${a}{{.Labels.a}}", "[TPL]"],
    ["::$a", ""],
    ["$", "[TPL]x"],
  ])("%s repeated 200 000 times", (piece, prefix) => {
    const rule = prefix + piece.repeat(200_000);
    const started = performance.now();
    renderTitle(event(rule, { labels: { a: "v" } }));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
