export { createRedisPacer, type RedisPacer, type RedisPacerOptions } from "./redis-pacer.js";
export type { IoredisLike, NodeRedisLike, RedisLikeClient } from "./script-runner.js";
