import { FlashdutyNetworkError } from "@flash-call/errors";
import { describe, expectTypeOf, test } from "vitest";
import type { CallHook, HookPayloads } from "./call-hook.js";
import type { AttemptInfo, Hooks, ResponseInfo } from "./hooks.js";

declare const callHook: CallHook;
declare const attempt: AttemptInfo;
declare const response: ResponseInfo;

describe("the hook dispatcher is typed by hook name", () => {
  test("each hook takes its own payload", () => {
    expectTypeOf(callHook<"onRequest">)
      .parameter(1)
      .toEqualTypeOf<AttemptInfo>();
    expectTypeOf(callHook<"onResponse">)
      .parameter(1)
      .toEqualTypeOf<ResponseInfo>();
    void callHook("onRetry", { ...response, delayMs: 10, error: new FlashdutyNetworkError() });
  });

  test("a payload of the wrong shape, or an unknown hook, does not compile", () => {
    // @ts-expect-error onRetry is told delayMs and error; an attempt's payload lacks both
    void callHook("onRetry", attempt);
    // @ts-expect-error onError is told the error
    void callHook("onError", response);
    // @ts-expect-error there is no onSend hook
    void callHook("onSend", attempt);
  });

  test("the payloads are the ones the public Hooks type declares", () => {
    expectTypeOf<Parameters<NonNullable<Hooks["onRetry"]>>[0]>().toEqualTypeOf<HookPayloads["onRetry"]>();
    expectTypeOf<Parameters<NonNullable<Hooks["onError"]>>[0]>().toEqualTypeOf<HookPayloads["onError"]>();
    expectTypeOf<keyof Hooks>().toEqualTypeOf<keyof HookPayloads>();
  });
});
