import type { Pacer } from "flash-call";
import type { CommonValues } from "./args.js";
import { nonBlankFlag } from "./blank-flag.js";
import type { CommandContext } from "./connection.js";
import type { Output } from "./output.js";
import { UsageError } from "./usage-error.js";

/** Milliseconds the first connection to Redis may take before the command paces locally instead. */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * The Redis URL from `--redis` or `FLASH_CALL_REDIS_URL`, if any: `redis://` or `rediss://`, else a usage error
 * (that quotes no part of the URL: it may carry a password). A password on the command line is warned about, as
 * the key is: it shows in the process list.
 *
 * @example
 * redisUrlOf({ redis: undefined }, { FLASH_CALL_REDIS_URL: "redis://10.0.0.5:6379" }, output); // "redis://10.0.0.5:6379"
 */
export function redisUrlOf(
  values: Pick<CommonValues, "redis">,
  env: CommandContext["env"],
  output: Pick<Output, "warn">,
  command?: string,
): string | undefined {
  const given = nonBlankFlag(values.redis, "--redis", command) ?? env.FLASH_CALL_REDIS_URL;
  if (given === undefined || given.trim() === "") return undefined;
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {}
  if (url === undefined || (url.protocol !== "redis:" && url.protocol !== "rediss:")) {
    throw new UsageError(
      `${values.redis === undefined ? "FLASH_CALL_REDIS_URL" : "--redis"} must be a redis:// or rediss:// URL, like redis://127.0.0.1:6379`,
      command,
    );
  }
  // node-redis reads the path as the database number and throws "Invalid pathname" for anything else.
  if (!/^\/?\d*$/.test(url.pathname)) {
    throw new UsageError(
      `${values.redis === undefined ? "FLASH_CALL_REDIS_URL" : "--redis"}'s path must be a database number, like redis://127.0.0.1:6379/0, or nothing`,
      command,
    );
  }
  if (values.redis !== undefined && url.password !== "") {
    output.warn(
      "--redis contains a password and shows in the process list; prefer FLASH_CALL_REDIS_URL in the environment",
    );
  }
  return given;
}

/**
 * The pacer every `flash-call` process given the same Redis shares (see @flash-call/redis), or `undefined` without
 * a Redis URL. Redis is reached in the background: the command never waits for it, never fails for it, and is
 * never kept alive by it (the client is unref'd and does not reconnect). Until Redis answers, or if it never does,
 * the command paces locally and says so in one line on stderr. Both modules are imported only with a URL.
 *
 * @example
 * const pacer = await redisPacer(redisUrlOf(values, env, output), output);
 * createFlashCall({ ...(pacer && { rateLimit: { pacer } }) });
 */
export async function redisPacer(
  url: string | undefined,
  output: Pick<Output, "warn">,
): Promise<Pacer | undefined> {
  if (url === undefined) return undefined;
  const [{ createClient }, { createRedisPacer }] = await Promise.all([
    import("@redis/client"),
    import("@flash-call/redis"),
  ]);
  const client = createClient({
    url,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  });
  // Failures reach the pacer through its commands: it falls back and says so once. Without a listener, node-redis
  // would end the process on its `error` event.
  client.on("error", () => {});
  client.unref();
  client.connect().catch(() => {});
  // The pacer's own store timeout: chosen for processes started by the hundred on one host, as OCP starts them.
  return createRedisPacer(client, {
    logger: { warn: (line) => output.warn(line), info: () => {} },
  });
}
