import { describe, expect, it } from "vitest";
import { isNotUtf8, ocpVariableWarnings, readOcpVariable } from "./ocp-environment.js";

describe("readOcpVariable", () => {
  it("reads the name as given, else its upper-case spelling; blank counts as unset", () => {
    expect(readOcpVariable({ alarm_id: "1", ALARM_ID: "2" }, "alarm_id")).toBe("1");
    expect(readOcpVariable({ alarm_id: " \t", ALARM_ID: "2" }, "alarm_id")).toBe("2");
    expect(readOcpVariable({ alarm_id: "" }, "alarm_id")).toBeUndefined();
    expect(readOcpVariable({}, "constructor")).toBeUndefined();
  });
});

describe("ocpVariableWarnings", () => {
  it("names both spellings of a variable set to different values, never the values", () => {
    const warnings = ocpVariableWarnings({ alarm_id: "secret-1", ALARM_ID: "secret-2" }, ["alarm_id"]);
    expect(warnings).toEqual([
      "OCP variables alarm_id and ALARM_ID are both set, to different values; sending alarm_id's, not ALARM_ID's",
    ]);
  });

  it("says nothing of equal spellings, a blank one, or a name with no other spelling", () => {
    expect(ocpVariableWarnings({ alarm_id: "1", ALARM_ID: "1" }, ["alarm_id"])).toEqual([]);
    expect(ocpVariableWarnings({ alarm_id: " ", ALARM_ID: "1" }, ["alarm_id"])).toEqual([]);
    expect(ocpVariableWarnings({ HOST: "a" }, ["HOST"])).toEqual([]);
  });

  it("names a variable that is not UTF-8 text by the spelling that was read", () => {
    const [own] = ocpVariableWarnings({ alarm_name: "\uFFFD\uFFFD" }, ["alarm_name"]);
    expect(own).toMatch(/^OCP variable alarm_name is not UTF-8 text: .*UTF-8 locale/);
    const [upper] = ocpVariableWarnings({ ALARM_NAME: "a\uFFFD" }, ["alarm_name"]);
    expect(upper).toMatch(/^OCP variable ALARM_NAME is not UTF-8 text/);
    expect(isNotUtf8("磁盘")).toBe(false);
  });
});
