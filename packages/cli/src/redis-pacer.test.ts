import { describe, expect, it } from "vitest";
import { redisPacer, redisUrlOf } from "./redis-pacer.js";
import { UsageError } from "./usage-error.js";

const quiet = { warn: () => {} };

describe("redisUrlOf", () => {
  it("takes --redis over FLASH_CALL_REDIS_URL, and nothing when neither is set", () => {
    expect(redisUrlOf({ redis: "redis://a:6379" }, { FLASH_CALL_REDIS_URL: "redis://b:6379" }, quiet)).toBe(
      "redis://a:6379",
    );
    expect(redisUrlOf({}, { FLASH_CALL_REDIS_URL: "rediss://b:6380" }, quiet)).toBe("rediss://b:6380");
    expect(redisUrlOf({}, { FLASH_CALL_REDIS_URL: " " }, quiet)).toBeUndefined();
    expect(redisUrlOf({}, {}, quiet)).toBeUndefined();
  });

  it("refuses what is no redis:// URL, naming where it came from and quoting none of it", () => {
    const secret = "http://user:s3cr3tpassw0rd@cache:6379";
    let thrown: unknown;
    try {
      redisUrlOf({}, { FLASH_CALL_REDIS_URL: secret }, quiet, "push");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toMatch(
      /^FLASH_CALL_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect((thrown as UsageError).message).not.toContain("s3cr3t");
    expect(() => redisUrlOf({ redis: "localhost:6379" }, {}, quiet)).toThrow(/^--redis must be/);
  });

  it("takes a database number or no path, and refuses any other path before Redis is reached", () => {
    expect(redisUrlOf({ redis: "redis://a:6379/3" }, {}, quiet)).toBe("redis://a:6379/3");
    expect(redisUrlOf({ redis: "redis://a:6379/" }, {}, quiet)).toBe("redis://a:6379/");
    for (const path of ["/notanumber", "/1/2", "/-1"]) {
      expect(() => redisUrlOf({ redis: `redis://a:6379${path}` }, {}, quiet, "push")).toThrow(
        "--redis's path must be a database number, like redis://127.0.0.1:6379/0, or nothing",
      );
    }
    expect(() => redisUrlOf({}, { FLASH_CALL_REDIS_URL: "redis://a:6379/x" }, quiet)).toThrow(
      /^FLASH_CALL_REDIS_URL's path must be a database number/,
    );
  });

  it("warns when --redis carries a password, as it shows in the process list", () => {
    const warnings: string[] = [];
    const output = { warn: (line: string) => warnings.push(line) };
    redisUrlOf({ redis: "redis://:pw@cache:6379" }, {}, output);
    redisUrlOf({}, { FLASH_CALL_REDIS_URL: "redis://:pw@cache:6379" }, output);
    expect(warnings).toEqual([expect.stringMatching(/^--redis contains a password .*FLASH_CALL_REDIS_URL/)]);
  });
});

describe("redisPacer", () => {
  it("is nothing without a URL: no Redis client is loaded", async () => {
    expect(await redisPacer(undefined, quiet)).toBeUndefined();
  });
});
