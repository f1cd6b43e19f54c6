import { describe, expect, it } from "vitest";
import { DEFAULT_LEVEL_MAP, DEFAULT_STATUS_MAP, levelMapFrom, statusMapFrom } from "./ocp-mapping.js";
import { UsageError } from "./usage-error.js";

describe("OCP mappings", () => {
  it("default maps use lower-case keys", () => {
    for (const key of [...DEFAULT_STATUS_MAP.keys(), ...DEFAULT_LEVEL_MAP.keys()])
      expect(key).toBe(key.toLowerCase());
  });
  it("--status-map adds and overrides, comma-separated or repeated", () => {
    const map = statusMapFrom(["Firing=alert, Muted=SKIP", "Cleared=skip"]);
    expect(map.get("firing")).toBe("alert");
    expect(map.get("muted")).toBe("skip");
    expect(map.get("cleared")).toBe("skip");
    expect(map.get("已消除")).toBe("ok");
  });
  it("--level-map normalises targets to the wire spelling", () => {
    const map = levelMapFrom(["P1=critical,P3=INFO"]);
    expect(map.get("p1")).toBe("Critical");
    expect(map.get("p3")).toBe("Info");
  });
  it("refuses a value mapped twice, two ways (values match in any case); the same mapping twice is taken", () => {
    expect(() => statusMapFrom(["Firing=alert", "FIRING=skip"])).toThrow(
      '--status-map gives "firing" twice, as "alert" and "skip"; keep the one you mean',
    );
    expect(() => levelMapFrom(["P1=Critical,p1=Info"])).toThrow(/--level-map gives "p1" twice/);
    expect(statusMapFrom(["Firing=alert", "firing=ALERT"]).get("firing")).toBe("alert");
  });
  it("rejects bad pairs and targets", () => {
    expect(() => statusMapFrom(["Firing"])).toThrow(UsageError);
    expect(() => statusMapFrom(["Firing=maybe"])).toThrow(/alert, ok or skip/);
    expect(() => levelMapFrom(["P1=Ok"])).toThrow(/Critical, Warning or Info/);
  });
});
