import { expect, test } from "vitest";
import { identityLabels } from "./identity-labels.js";

test.each([
  [
    { user: "u", strategy: "s" },
    { user_id: "u", strategy_id: "s" },
  ],
  [{ user: "u" }, { user_id: "u" }],
  [{ strategy: "s" }, { strategy_id: "s" }],
  [{ user: "", strategy: "" }, {}],
  [{}, {}],
  [undefined, {}],
])("%j -> %j", (identity, expected) => {
  expect(identityLabels(identity)).toStrictEqual(expected);
});
