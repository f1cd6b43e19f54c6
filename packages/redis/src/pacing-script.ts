/**
 * The one Lua script behind every pacing operation on one key, run atomically by Redis with the server's clock
 * (`TIME`), so that every process counts against the same windows and the same time, whatever their own clocks.
 *
 * KEYS[1] is a sorted set of slots: a member per request, scored with the time until which it counts as in flight
 * (now + the lease) while its request is out, then with the time its answer arrived; a slot counts in a window of
 * `span` ms while its score is after `now - span`. KEYS[2] holds the time until which the key is paused (a 429).
 *
 * ARGV[1] is the operation:
 * - `acquire` (ARGV[2] slot id, [3] per second, [4] per minute, [5] lease ms, [6] poll ms): takes a slot in both
 *   windows at once when both have room and the key is not paused, replying `{1, 0}`; otherwise takes nothing and
 *   replies `{0, ms to wait}`: exact when an answered slot must age out or a pause end, at most the poll interval
 *   when the slot to wait for is still in flight (its answer may come any moment).
 * - `release` (ARGV[2] slot id): the answer arrived; the slot ages out from now.
 * - `cancel` (ARGV[2] slot id): the slot was never used (its acquire timed out on our side); it is removed.
 * - `take` (ARGV[2] slot id, [3] lease ms): a slot the process took while pacing locally, counted without checks,
 *   so that a store that was only slow learns what was sent meanwhile.
 * - `pause` (ARGV[2] ms): nothing is sent for the key for that long, unless a longer pause is already set.
 */
export const PACING_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local op = ARGV[1]
local minute = 60000
if op == 'release' then
  if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
    redis.call('ZADD', KEYS[1], now, ARGV[2])
    redis.call('PEXPIRE', KEYS[1], minute + 1000)
  end
  return {1, 0}
end
if op == 'cancel' then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return {1, 0}
end
if op == 'take' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], minute + tonumber(ARGV[3]) + 1000)
  return {1, 0}
end
if op == 'pause' then
  local ms = tonumber(ARGV[2])
  local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + ms > paused then redis.call('SET', KEYS[2], now + ms, 'PX', ms) end
  return {1, 0}
end
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {0, paused - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - minute)
local wait = 0
local windows = {{tonumber(ARGV[3]), 1000}, {tonumber(ARGV[4]), minute}}
for _, window in ipairs(windows) do
  local limit, span = window[1], window[2]
  local after = '(' .. (now - span)
  local count = redis.call('ZCOUNT', KEYS[1], after, '+inf')
  if count >= limit then
    local blocking = redis.call('ZRANGEBYSCORE', KEYS[1], after, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
    local score = tonumber(blocking[2])
    local free = score + span - now + 1
    if score > now and free > tonumber(ARGV[6]) then free = tonumber(ARGV[6]) end
    if free > wait then wait = free end
  end
end
if wait > 0 then return {0, wait} end
local lease = tonumber(ARGV[5])
redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
redis.call('PEXPIRE', KEYS[1], minute + lease + 1000)
return {1, 0}
`;

/** The SHA-1 Redis knows {@link PACING_SCRIPT} by (EVALSHA), computed once with Web Crypto. */
let scriptSha: Promise<string> | undefined;

/**
 * The script's SHA-1, as `SCRIPT LOAD` would answer it.
 *
 * @example
 * ```ts
 * await client.sendCommand(["EVALSHA", await pacingScriptSha(), "2", sent, pause, "cancel", slot]);
 * ```
 */
export function pacingScriptSha(): Promise<string> {
  scriptSha ??= globalThis.crypto.subtle
    .digest("SHA-1", new TextEncoder().encode(PACING_SCRIPT))
    .then((digest) =>
      Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(""),
    );
  return scriptSha;
}
