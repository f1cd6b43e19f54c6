import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import * as coreConstants from "@flash-call/core/constants";
import { describe, expect, test, vi } from "vitest";
import { AccessDeniedError, FlashdutyApiError, UnauthorizedError } from "./api-errors.js";
import { FlashdutyConfigError, FlashdutyValidationError } from "./client-errors.js";
import { FlashdutyError } from "./flashduty-error.js";

/** What the errors bundle requires: only core's generated constants, plain data that may come from this realm. */
function requireInRealm(id: string): unknown {
  if (id === "@flash-call/core/constants") return coreConstants;
  throw new Error(`the errors bundle required ${id}, which this test does not provide`);
}

describe("FlashdutyError", () => {
  test("a message that is not a string still makes the error, with its text or none", () => {
    const hostile = {
      toString() {
        throw new Error("toString trap");
      },
    };
    const cases: Array<[unknown, string]> = [
      [42, "42"],
      [null, "null"],
      [undefined, ""],
      [Symbol("s"), "Symbol(s)"],
      [hostile, ""],
    ];
    for (const [given, text] of cases) {
      const error = new FlashdutyError(given as string, { code: "Custom" });
      expect(error).toBeInstanceOf(FlashdutyError);
      expect(error.message).toBe(text);
      expect(error.code).toBe("Custom");
    }
  });

  test("carries code, status, requestId, retryable, retryAfterMs", () => {
    const error = new FlashdutyError("boom", {
      code: "RequestTooFrequently",
      status: 429,
      requestId: "r-1",
      retryAfterMs: 2000,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: "RequestTooFrequently",
      status: 429,
      requestId: "r-1",
      retryAfterMs: 2000,
    });
    expect(error.retryable).toBe(true);
    expect(error.name).toBe("FlashdutyError");
    expect(error.stack?.startsWith("FlashdutyError: boom")).toBe(true);
  });

  test("retryable defaults by code, then by status, and can be forced", () => {
    expect(new FlashdutyError("x", { code: "InternalError" }).retryable).toBe(true);
    expect(new FlashdutyError("x", { code: "Unauthorized", status: 401 }).retryable).toBe(false);
    expect(new FlashdutyError("x", { code: "HTTP_503", status: 503 }).retryable).toBe(true);
    expect(new FlashdutyError("x", { code: "HTTP_408", status: 408 }).retryable).toBe(true);
    expect(new FlashdutyError("x", { code: "HTTP_418", status: 418 }).retryable).toBe(false);
    expect(new FlashdutyError("x", { code: "HTTP_502" }).retryable).toBe(true);
    expect(new FlashdutyError("x", { code: "Whatever" }).retryable).toBe(false);
    expect(new FlashdutyError("x", { code: "InternalError", retryable: false }).retryable).toBe(false);
  });

  test("toJSON holds exactly the safe fields", () => {
    const error = new UnauthorizedError("no", { status: 401, requestId: "r-2", body: { secret: "x" } });
    expect(Object.keys(error.toJSON()).sort()).toEqual(
      ["code", "message", "name", "requestId", "retryAfterMs", "retryable", "serverMessage", "status"].sort(),
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "UnauthorizedError",
      code: "Unauthorized",
      message: "no",
      status: 401,
      requestId: "r-2",
      retryable: false,
    });
  });

  test("summary: the message without the hint and request_id it ends with; the message itself by default", () => {
    const plain = new FlashdutyError("no route", { code: "HTTP_404", status: 404 });
    expect(plain.summary).toBe("no route");
    const composed = new FlashdutyError("Flashduty answered 404. Check the push URL. request_id=r-1", {
      code: "HTTP_404",
      summary: "Flashduty answered 404.",
    });
    expect(composed.summary).toBe("Flashduty answered 404.");
    expect(composed.message).toContain("request_id=r-1");
    // It repeats part of the message: printed and serialised only as part of it.
    expect(Object.keys(composed)).not.toContain("summary");
    expect(composed.toJSON()).not.toHaveProperty("summary");
  });

  test("optional fields are absent, not undefined, when not given", () => {
    const error = new FlashdutyError("x", { code: "C" });
    expect(Object.hasOwn(error, "status")).toBe(false);
    expect(Object.hasOwn(error, "requestId")).toBe(false);
    expect(Object.hasOwn(error, "retryAfterMs")).toBe(false);
    expect(Object.hasOwn(error, "cause")).toBe(false);
  });

  test("keeps a cause", () => {
    const cause = new TypeError("fetch failed");
    expect(new FlashdutyError("x", { code: "NetworkError", cause }).cause).toBe(cause);
  });

  test("scrubs push URLs in its message", () => {
    const error = new FlashdutyError("POST https://h/p?integration_key=abc&x=1 failed", { code: "C" });
    expect(error.message).toBe("POST https://h/p?integration_key=***&x=1 failed");
  });
});

describe("isInstance", () => {
  const unauthorized = new UnauthorizedError("u");
  const denied = new AccessDeniedError("d");
  const validation = new FlashdutyValidationError([{ path: "title_rule", message: "must not be empty" }]);

  test("accepts the class and its subclasses only", () => {
    expect(FlashdutyError.isInstance(unauthorized)).toBe(true);
    expect(FlashdutyApiError.isInstance(unauthorized)).toBe(true);
    expect(UnauthorizedError.isInstance(unauthorized)).toBe(true);
    expect(UnauthorizedError.isInstance(denied)).toBe(false);
    expect(AccessDeniedError.isInstance(unauthorized)).toBe(false);
    expect(FlashdutyApiError.isInstance(validation)).toBe(false);
    expect(FlashdutyValidationError.isInstance(validation)).toBe(true);
    expect(FlashdutyConfigError.isInstance(validation)).toBe(false);
    expect(FlashdutyError.isInstance(validation)).toBe(true);
  });

  test("rejects look-alikes", () => {
    for (const value of [
      null,
      undefined,
      0,
      "FlashdutyError",
      {},
      new Error("x"),
      { code: "Unauthorized" },
    ]) {
      expect(FlashdutyError.isInstance(value)).toBe(false);
    }
    const forged = Object.assign(new Error("x"), { name: "UnauthorizedError", code: "Unauthorized" });
    expect(UnauthorizedError.isInstance(forged)).toBe(false);
  });

  test("works detached, as a callback", () => {
    const values = [unauthorized, denied, validation, new Error("plain"), undefined];
    expect(values.filter(UnauthorizedError.isInstance)).toEqual([unauthorized]);
    expect(values.filter(FlashdutyApiError.isInstance)).toEqual([unauthorized, denied]);
    expect(values.filter(FlashdutyError.isInstance)).toEqual([unauthorized, denied, validation]);
    expect(values.filter(FlashdutyValidationError.isInstance)).toEqual([validation]);
    const { isInstance } = FlashdutyError;
    expect(isInstance(denied)).toBe(true);
  });

  test("is the same function on every read, as a method would be", () => {
    expect(FlashdutyError.isInstance).toBe(FlashdutyError.isInstance);
    expect(UnauthorizedError.isInstance).toBe(UnauthorizedError.isInstance);
    expect(UnauthorizedError.isInstance).not.toBe(FlashdutyError.isInstance);
  });

  test("works across duplicate installs, where instanceof does not", async () => {
    vi.resetModules();
    const copy = await import("./api-errors.js");
    const foreign = new copy.UnauthorizedError("from another copy");
    expect(foreign).not.toBeInstanceOf(UnauthorizedError);
    expect(UnauthorizedError.isInstance(foreign)).toBe(true);
    expect(FlashdutyError.isInstance(foreign)).toBe(true);
    expect(AccessDeniedError.isInstance(foreign)).toBe(false);
    expect(copy.UnauthorizedError.isInstance(unauthorized)).toBe(true);
  });

  test("a user subclass is still recognised as its parents, and inherits their check", () => {
    class MyError extends UnauthorizedError {}
    const mine = new MyError("m");
    expect(UnauthorizedError.isInstance(mine)).toBe(true);
    expect(FlashdutyApiError.isInstance(mine)).toBe(true);
    expect(MyError.isInstance(mine)).toBe(true);
    expect(MyError.isInstance(new AccessDeniedError("d"))).toBe(false);
    expect(mine.name).toBe("UnauthorizedError");
    class Named extends FlashdutyError {
      static override readonly kind = "NamedError";
      static override isInstance(value: unknown): value is Named {
        return value instanceof Named;
      }
    }
    const named = new Named("n", { code: "C" });
    expect(named.name).toBe("NamedError");
    expect(Named.isInstance(named)).toBe(true);
    expect(Named.isInstance(mine)).toBe(false);
    expect(FlashdutyError.isInstance(named)).toBe(true);
  });

  test("works across realms: an error built by a copy of the package in another realm", () => {
    // The built CommonJS bundle runs in a fresh realm (its own Error, Object, Symbol); what it requires (core's
    // generated constants: plain data) comes from this realm.
    const bundle = readFileSync(new URL("../dist/index.cjs", import.meta.url), "utf8");
    const realm = {
      module: { exports: {} as Record<string, unknown> },
      require: requireInRealm,
    };
    runInNewContext(`(function (module, exports) { ${bundle}\n})(module, module.exports)`, realm);
    const foreign = runInNewContext(
      "new UnauthorizedError('from another realm', { status: 401 })",
      realm.module.exports,
    ) as unknown;
    expect(foreign).not.toBeInstanceOf(Error);
    expect(UnauthorizedError.isInstance(foreign)).toBe(true);
    expect(FlashdutyApiError.isInstance(foreign)).toBe(true);
    expect(FlashdutyError.isInstance(foreign)).toBe(true);
    expect(AccessDeniedError.isInstance(foreign)).toBe(false);
    expect(FlashdutyConfigError.isInstance(foreign)).toBe(false);
    const foreignCheck = (realm.module.exports.UnauthorizedError as typeof UnauthorizedError).isInstance;
    expect(foreignCheck(unauthorized)).toBe(true);
    expect(foreignCheck(denied)).toBe(false);
  });

  test("a mark on an unrelated object's own property set to something else is no mark", () => {
    const mark = Symbol.for("flash-call.error.FlashdutyError");
    expect(FlashdutyError.isInstance({ [mark]: "yes" })).toBe(false);
    expect(FlashdutyError.isInstance(Object.create(null))).toBe(false);
  });

  test("a user subclass may assign its own isInstance (a static field without useDefineForClassFields)", () => {
    class Assigned extends FlashdutyError {}
    const own = (value: unknown): value is Assigned => value instanceof Assigned;
    // What `static isInstance = …` compiles to below ES2022: an assignment, which a getter alone would refuse.
    Assigned.isInstance = own;
    expect(Assigned.isInstance).toBe(own);
    expect(Assigned.isInstance(new Assigned("a", { code: "C" }))).toBe(true);
    expect(FlashdutyError.isInstance(new Assigned("a", { code: "C" }))).toBe(true);
    expect(FlashdutyError.isInstance).not.toBe(own);
  });
});

describe("printing", () => {
  test("util.inspect shows name, message and fields but not the body", () => {
    const error = new UnauthorizedError("Flashduty rejected the push", {
      status: 401,
      body: { hidden: true },
    });
    const printed = inspect(error);
    expect(printed).toContain("UnauthorizedError: Flashduty rejected the push");
    expect(printed).toContain("code: 'Unauthorized'");
    expect(printed).not.toContain("hidden");
    expect(error.body).toEqual({ hidden: true });
  });
});
