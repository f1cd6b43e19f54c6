import { CHANGE_PUSH_PATH, PUSH_PATH } from "@flash-call/core";
import { maskKey, registerSecret } from "@flash-call/errors";
import { describe, expect, it } from "vitest";
import { maskKeysIn, unservedPath } from "./recorded-text.js";

const KEY = "Qx+Wv/Ty=Rs+Pn/Mk=Jh+Gf/Zc=Xb+Vl/Kd=Hw+Ug/Ei=";

describe("maskKeysIn", () => {
  it("masks a key it is given, raw or percent-encoded, with the mask an event's integration shows", () => {
    expect(maskKeysIn(`POST /x/${KEY}/y`, [KEY])).toBe(`POST /x/${maskKey(KEY)}/y`);
    expect(maskKeysIn(`/x/${encodeURIComponent(KEY)}`, [KEY])).toBe(`/x/${maskKey(KEY)}`);
  });

  it("leaves text alone for a key shorter than 8 characters, which could match ordinary words", () => {
    expect(maskKeysIn("/event/push", ["e"])).toBe("/event/push");
  });

  it("masks registered secrets too (redact)", () => {
    const registered = "recorded-text-registered-secret-0123";
    registerSecret(registered);
    expect(maskKeysIn(`/x/${registered}`, [])).not.toContain(registered.slice(0, 8));
  });
});

describe("unservedPath", () => {
  it("keeps the words of Flashduty's routes and masks every other segment: any may be a key", () => {
    const unknownKey = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    expect(unservedPath(`${PUSH_PATH}/${unknownKey}`, [])).toBe(`${PUSH_PATH}/${maskKey(unknownKey)}`);
    expect(unservedPath(`${CHANGE_PUSH_PATH}/x`, [])).toBe(`${CHANGE_PUSH_PATH}/****`);
    expect(unservedPath("/event/push/alert/standrad", [])).toBe("/event/push/alert/****");
    expect(unservedPath("/", [])).toBe("/");
  });

  it("masks a known key that spans segments as one key, keeping its fingerprint", () => {
    expect(unservedPath(`${PUSH_PATH}/${KEY}`, [KEY])).toBe(`${PUSH_PATH}/${maskKey(KEY)}`);
  });

  it("gives a percent-encoded segment the fingerprint of its decoded text", () => {
    expect(unservedPath(`/v1/${encodeURIComponent(KEY)}`, [])).toBe(`/****/${maskKey(KEY)}`);
    expect(unservedPath("/%E0%A4%A", [])).toBe("/****");
  });
});
