import { FlashdutyConfigError } from "flash-call";
import { PACING_SCRIPT, pacingScriptSha } from "./pacing-script.js";

/**
 * A Redis client as `createRedisPacer` takes it: a node-redis client (`redis` v4 or v5: `createClient()`, which has
 * `sendCommand(args)`) or an ioredis client (`new Redis()`, which has `evalsha` and `eval`). Connected, with an
 * `error` listener (node-redis crashes the process on an unhandled `error` event). Cluster clients are not
 * supported: their command routing differs.
 */
export type RedisLikeClient = NodeRedisLike | IoredisLike;

/** node-redis v4/v5: `sendCommand` with the command as an array of strings. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** ioredis: `evalsha(sha, numberOfKeys, ...keysAndArguments)` and `eval` alike. */
export interface IoredisLike {
  evalsha(sha: string, numberOfKeys: number, ...keysAndArguments: string[]): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...keysAndArguments: string[]): Promise<unknown>;
}

/** Runs the pacing script with these keys and arguments, and resolves with its reply. */
export type ScriptRunner = (keys: readonly [string, string], args: readonly string[]) => Promise<unknown>;

const isFunction = (value: unknown) => typeof value === "function";

/**
 * Adapts `client` to a {@link ScriptRunner}: EVALSHA, and EVAL when the server does not know the script yet
 * (`NOSCRIPT`: a new server, a restart, `SCRIPT FLUSH`), which also caches it there for the next EVALSHA.
 * ioredis is recognised first (it also has an internal `sendCommand` taking a command object).
 *
 * @example
 * ```ts
 * const run = scriptRunner(createClient()); // node-redis
 * await run([sentKey, pauseKey], ["pause", "1000"]);
 * ```
 */
export function scriptRunner(client: unknown): ScriptRunner {
  const candidate = client as Partial<NodeRedisLike & IoredisLike> | null;
  let evalSha: (sha: string, keysAndArguments: string[]) => Promise<unknown>;
  let evalScript: (keysAndArguments: string[]) => Promise<unknown>;
  if (isFunction(candidate?.evalsha) && isFunction(candidate?.eval)) {
    const ioredis = candidate as IoredisLike;
    evalSha = (sha, rest) => ioredis.evalsha(sha, 2, ...rest);
    evalScript = (rest) => ioredis.eval(PACING_SCRIPT, 2, ...rest);
  } else if (isFunction(candidate?.sendCommand)) {
    const nodeRedis = candidate as NodeRedisLike;
    evalSha = (sha, rest) => nodeRedis.sendCommand(["EVALSHA", sha, "2", ...rest]);
    evalScript = (rest) => nodeRedis.sendCommand(["EVAL", PACING_SCRIPT, "2", ...rest]);
  } else {
    throw new FlashdutyConfigError(
      "createRedisPacer needs a node-redis client (createClient() from redis) or an ioredis client (new Redis()).",
    );
  }
  return async (keys, args) => {
    const rest = [...keys, ...args];
    try {
      return await evalSha(await pacingScriptSha(), rest);
    } catch (error) {
      if (!String((error as { message?: unknown } | null)?.message).startsWith("NOSCRIPT")) throw error;
      return evalScript(rest);
    }
  };
}
