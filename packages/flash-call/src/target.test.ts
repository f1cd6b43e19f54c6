import { clearKey, setKey } from "@flash-call/keys";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createTargetResolver } from "./target.js";

const INSTANCE_KEY = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
const CALL_KEY = "f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1";
const SET_KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

afterEach(() => {
  vi.unstubAllEnvs();
  clearKey();
});

describe("where a push goes", () => {
  test("call options win over the instance's, the instance's over setKey, setKey over the environment", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", "9f8e7d6c5b4a39281706f5e4d3c2b1a0");
    vi.stubEnv("FLASHDUTY_BASE_URL", "https://from-env.example");
    setKey(SET_KEY);
    const withInstance = createTargetResolver({
      integrationKey: INSTANCE_KEY,
      baseUrl: "https://instance.example",
    });
    expect(withInstance({}).key.reveal()).toBe(INSTANCE_KEY);
    expect(withInstance({}).baseUrl).toBe("https://instance.example");
    const call = withInstance({ integrationKey: CALL_KEY, baseUrl: "https://call.example" });
    expect([call.key.reveal(), call.baseUrl]).toEqual([CALL_KEY, "https://call.example"]);
    const bare = createTargetResolver({})({});
    expect([bare.key.reveal(), bare.baseUrl]).toEqual([SET_KEY, "https://from-env.example"]);
  });

  test("a push URL gives the key, the base URL and its other query parameters", () => {
    const target = createTargetResolver({})({
      pushUrl: `https://push.example/event/push/alert/standard?integration_key=${CALL_KEY}&channel=7`,
    });
    expect(target.key.reveal()).toBe(CALL_KEY);
    expect(target.baseUrl).toBe("https://push.example");
    expect(target.query).toEqual({ channel: "7" });
  });

  test("FLASHDUTY_BASE_URL is read at each push, also by an instance that names its key", () => {
    const resolve = createTargetResolver({ integrationKey: INSTANCE_KEY });
    vi.stubEnv("FLASHDUTY_BASE_URL", "https://first.example");
    expect(resolve({}).baseUrl).toBe("https://first.example");
    vi.stubEnv("FLASHDUTY_BASE_URL", "https://second.example");
    expect(resolve({}).baseUrl).toBe("https://second.example");
  });

  test("a base URL ending in / still reaches the push path: trailing slashes are dropped", () => {
    const resolve = createTargetResolver({ integrationKey: INSTANCE_KEY, baseUrl: "https://h.example//" });
    expect(resolve({}).baseUrl).toBe("https://h.example");
    expect(resolve({ baseUrl: "https://other.example/prefix/" }).baseUrl).toBe(
      "https://other.example/prefix",
    );
  });

  test("a base URL carrying a query (a key), a fragment or credentials is refused, so it cannot reach hooks or spool files", () => {
    expect(() =>
      createTargetResolver({
        baseUrl: `https://h.example/event/push/alert/standard?integration_key=${CALL_KEY}`,
      }),
    ).toThrow(/must not carry a query/);
    expect(() => createTargetResolver({ baseUrl: "https://user:secret@example.com" })).toThrow(/credentials/);
    const resolve = createTargetResolver({ integrationKey: INSTANCE_KEY });
    expect(() => resolve({ baseUrl: "https://h.example#x" })).toThrow(
      expect.objectContaining({ code: "ConfigError" }),
    );
    expect(() => resolve({ baseUrl: "ftp://h.example" })).toThrow(/not an absolute http\(s\) URL/);
  });

  test("a process.env that throws on access is no environment, not a crash", () => {
    const original = Object.getOwnPropertyDescriptor(process, "env");
    setKey(SET_KEY);
    Object.defineProperty(process, "env", {
      configurable: true,
      get: () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error("Requires env access");
            },
          },
        ),
    });
    try {
      // No base URL anywhere, so the resolver consults FLASHDUTY_BASE_URL, which cannot be read.
      expect(createTargetResolver({})({}).baseUrl).toBe("https://api.flashcat.cloud");
    } finally {
      if (original) Object.defineProperty(process, "env", original);
    }
  });

  test("the instance's user and strategy win over setKey's", () => {
    setKey(SET_KEY, { user: "from-set-key", strategy: "s-set" });
    expect(createTargetResolver({ user: "mine" })({}).identity).toEqual({ user: "mine", strategy: "s-set" });
  });

  test("a push naming no destination resolves the key once per distinct setKey or environment value, and sees each change at the next push", () => {
    const resolve = createTargetResolver({});
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", INSTANCE_KEY);
    const first = resolve({});
    expect(resolve({})).toBe(first);
    expect(first.key.reveal()).toBe(INSTANCE_KEY);

    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", CALL_KEY);
    const changed = resolve({});
    expect(changed.key.reveal()).toBe(CALL_KEY);
    expect(resolve({})).toBe(changed);

    vi.stubEnv("FLASHDUTY_BASE_URL", "https://moved.example");
    expect([resolve({}).key.reveal(), resolve({}).baseUrl]).toEqual([CALL_KEY, "https://moved.example"]);

    setKey(SET_KEY, { user: "u-1" });
    const fromSetKey = resolve({});
    expect([fromSetKey.key.reveal(), fromSetKey.identity.user]).toEqual([SET_KEY, "u-1"]);
    expect(resolve({})).toBe(fromSetKey);
    setKey(SET_KEY, { user: "u-2" });
    expect(resolve({}).baseLabels).toMatchObject({ user_id: "u-2" });

    clearKey();
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", "");
    vi.stubEnv(
      "FLASHDUTY_PUSH_URL",
      `https://push.example/event/push/alert/standard?integration_key=${INSTANCE_KEY}`,
    );
    const fromPushUrl = resolve({});
    expect([fromPushUrl.key.reveal(), fromPushUrl.baseUrl]).toEqual([INSTANCE_KEY, "https://push.example"]);
    vi.stubEnv("FLASHDUTY_PUSH_URL", "");
    expect(() => resolve({})).toThrow(/No Flashduty integration key found/);
  });

  test("a call naming its own key resolves it once per distinct naming, and sees an environment change at the next push", () => {
    const resolve = createTargetResolver({});
    const first = resolve({ integrationKey: CALL_KEY });
    expect(resolve({ integrationKey: CALL_KEY })).toBe(first);
    expect(first.baseUrl).toBe("https://api.flashcat.cloud");
    // Another naming of the same key is another destination.
    const elsewhere = resolve({ integrationKey: CALL_KEY, baseUrl: "https://call.example" });
    expect(elsewhere.baseUrl).toBe("https://call.example");
    expect(resolve({ integrationKey: INSTANCE_KEY }).key.reveal()).toBe(INSTANCE_KEY);
    expect(resolve({ integrationKey: CALL_KEY })).toBe(first);

    // The base URL of a call naming only its key comes from the environment: a change is seen at once.
    vi.stubEnv("FLASHDUTY_BASE_URL", "https://moved.example");
    const moved = resolve({ integrationKey: CALL_KEY });
    expect([moved.key.reveal(), moved.baseUrl]).toEqual([CALL_KEY, "https://moved.example"]);
    expect(resolve({ integrationKey: CALL_KEY, baseUrl: "https://call.example" })).toBe(elsewhere);
  });

  test("keeps the resolutions of the last 256 namings: a router with more keys resolves the oldest again", () => {
    const resolve = createTargetResolver({});
    const keyOf = (index: number) => `${CALL_KEY.slice(0, 28)}${index.toString(16).padStart(4, "0")}`;
    const first = resolve({ integrationKey: keyOf(0) });
    for (let index = 1; index < 256; index++) resolve({ integrationKey: keyOf(index) });
    expect(resolve({ integrationKey: keyOf(0) })).toBe(first);
    resolve({ integrationKey: keyOf(256) });
    const again = resolve({ integrationKey: keyOf(0) });
    expect(again).not.toBe(first);
    expect(again.key.reveal()).toBe(keyOf(0));
  });

  test("a bad destination named by a call fails at every push, however often a good one was kept", () => {
    const resolve = createTargetResolver({});
    resolve({ integrationKey: CALL_KEY });
    for (let push = 0; push < 2; push++) {
      expect(() => resolve({ integrationKey: CALL_KEY, baseUrl: "ftp://call.example" })).toThrow(/base URL/i);
    }
  });

  test("a call naming its own destination is not answered from the last push's", () => {
    vi.stubEnv("FLASHDUTY_INTEGRATION_KEY", INSTANCE_KEY);
    const resolve = createTargetResolver({});
    resolve({});
    expect(resolve({ integrationKey: CALL_KEY }).key.reveal()).toBe(CALL_KEY);
    expect(resolve({ baseUrl: "https://call.example" }).baseUrl).toBe("https://call.example");
    expect(resolve({}).key.reveal()).toBe(INSTANCE_KEY);
  });
});
