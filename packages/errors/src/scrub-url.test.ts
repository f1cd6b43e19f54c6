import { describe, expect, test } from "vitest";
import { scrubUrl } from "./scrub-url.js";

describe("scrubUrl", () => {
  test.each([
    ["https://api.flashcat.cloud/event/push/alert/standard?integration_key=abc", "integration_key=***"],
    ["https://h/p?x=1&integration_key=abc&y=2", "https://h/p?x=1&integration_key=***&y=2"],
    ["https://h/p?INTEGRATION_KEY=abc", "https://h/p?INTEGRATION_KEY=***"],
    ["next=%2Fp%3Fintegration_key%3Dabc%26x%3D1", "next=%2Fp%3Fintegration_key%3D***"],
    ['fetch "https://h/?integration_key=abc" failed', 'fetch "https://h/?integration_key=***" failed'],
    ["<a href='https://h/?integration_key=abc'>", "<a href='https://h/?integration_key=***'>"],
    [
      "a https://h/?integration_key=abc\nb https://h/?integration_key=def",
      "a https://h/?integration_key=***\nb https://h/?integration_key=***",
    ],
    ["https://h/?integration_key=", "https://h/?integration_key=***"],
    ["no key here", "no key here"],
    ["Integration settings: key=42", "Integration settings: key=42"],
    ["iNtEgRaTiOn_KeY=abc", "iNtEgRaTiOn_KeY=***"],
    ['{"integration_key":"abc","x":1}', '{"integration_key":"***","x":1}'],
    ['{"integration_key" : "abc"}', '{"integration_key" : "***"}'],
    ["https://h/?integration%5Fkey=abc", "https://h/?integration%5Fkey=***"],
    ["next=%252Fp%253Fintegration_key%253Dabc", "next=%252Fp%253Fintegration_key%253D***"],
    ['{"log":"{\\"integration_key\\":\\"abc\\"}"}', '{"log":"{\\"integration_key\\":\\"***\\"}"}'],
    ["next=%2Fp%3Fintegration%5fkey%3dabc", "next=%2Fp%3Fintegration%5fkey%3d***"],
  ])("%s", (input, expected) => {
    expect(scrubUrl(input).endsWith(expected)).toBe(true);
    expect(scrubUrl(input)).not.toMatch(/abc|def/);
  });
});
