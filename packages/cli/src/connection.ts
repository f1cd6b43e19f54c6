import type { Destination } from "@flash-call/keys";
import type { FlashCall } from "flash-call";
import { type CommandName, type CommonValues, integerFlag } from "./args.js";
import { nonBlankFlag } from "./blank-flag.js";
import { endpointOf, secretFlagWarnings } from "./cli-wording.js";
import { commandDestination, pushUrlOf } from "./command-destination.js";
import type { Output } from "./output.js";
import { proxyFetch } from "./proxy-fetch.js";
import { redisPacer, redisUrlOf } from "./redis-pacer.js";

/** Where a command runs: its environment, output and stdin, and the signal that stops it. */
export interface CommandContext {
  env: Readonly<Record<string, string | undefined>>;
  output: Output;
  stdin: AsyncIterable<string | Uint8Array>;
  /** Aborted (reason: the signal's name) when SIGTERM, SIGINT or SIGHUP asks the command to stop. @default never */
  stop?: AbortSignal | undefined;
  /** How pushes go when no proxy is set (see RunEnvironment). @default "fetch" */
  transport?: Transport | undefined;
}

/**
 * `"node-http"`: node:http/node:https (see httpTransport), connections kept alive for a batch; `"node-socket"`:
 * one request per connection on node:net/node:tls (see socketTransport), what a single event is sent with;
 * `"fetch"`: the runtime's global fetch.
 */
export type Transport = "fetch" | "node-http" | "node-socket";

/** An SDK instance and the destination it sends to. */
export interface Connection {
  flashCall: FlashCall;
  destination: Destination;
}

/**
 * The spool directory from `--spool` or `FLASH_CALL_SPOOL`, if any (a blank variable is none; a blank `--spool` is
 * a {@link UsageError}, see nonBlankFlag).
 *
 * @example
 * spoolDirectory({ spool: undefined }, { FLASH_CALL_SPOOL: "/var/spool/flash-call" }); // "/var/spool/flash-call"
 */
export function spoolDirectory(values: CommonValues, env: CommandContext["env"]): string | undefined {
  const directory = nonBlankFlag(values.spool, "--spool") ?? env.FLASH_CALL_SPOOL;
  return directory === undefined || directory.trim() === "" ? undefined : directory;
}

/**
 * Checks the connection flags every sending command has, dry runs included: warns when the key is on the
 * command line, and reads `--timeout` and `--retries` (a {@link UsageError} when they are not whole numbers).
 *
 * @example
 * const { timeoutMs, maxRetries } = connectionFlags(values, "push", output);
 */
export function connectionFlags(values: CommonValues, command: CommandName, output: Output) {
  for (const warning of secretFlagWarnings(values, endpointOf(command))) output.warn(warning);
  return {
    timeoutMs: integerFlag("--timeout", values.timeout, command),
    maxRetries: integerFlag("--retries", values.retries, command),
  };
}

/**
 * What the CLI sends with: with a proxy in the environment (`HTTPS_PROXY`, `HTTP_PROXY`, honouring `NO_PROXY`;
 * checked here, see proxySettings), undici's fetch through its `EnvHttpProxyAgent` (see proxyFetch); otherwise, with `transport` `"node-http"` (the
 * bin's, for `--file` batches), the `node:http`/`node:https` transport (see httpTransport), which starts several
 * times faster than Node's own fetch and keeps connections alive for a batch; with `"node-socket"` (the bin's for
 * one event), one request per connection on `node:net`/`node:tls` (see socketTransport), which starts faster
 * still; otherwise `undefined`: the SDK's default, the global fetch.
 *
 * @example
 * ```ts
 * const fetch = await transportFor(process.env, "node-http"); // pass to createFlashCall({ fetch })
 * ```
 * @throws FlashdutyConfigError naming the variable when a proxy variable cannot be used
 */
export async function transportFor(
  env: CommandContext["env"],
  transport: Transport = "fetch",
): Promise<typeof fetch | undefined> {
  const proxied = await proxyFetch(env);
  if (proxied !== undefined || transport === "fetch") return proxied;
  if (transport === "node-socket") {
    const { socketTransport } = await import("./socket-transport.js");
    return socketTransport();
  }
  const { httpTransport } = await import("./http-transport.js");
  return httpTransport();
}

/**
 * Creates the SDK instance a command sends with: the destination from the flags and the command's environment
 * (see commandDestination; a missing or malformed key fails here, in the CLI's words, before anything is
 * read or sent), timeout and retries, the transport (see transportFor), the pacing shared through Redis with
 * `--redis` or FLASH_CALL_REDIS_URL (see redisPacer), and SDK warnings
 * (truncations) routed to stderr. The SDK is imported here, lazily.
 *
 * @example
 * const { flashCall, destination } = await connect(values, "push", context);
 */
export async function connect(
  values: CommonValues,
  command: CommandName,
  context: CommandContext,
): Promise<Connection> {
  const { output, env } = context;
  const { timeoutMs, maxRetries } = connectionFlags(values, command, output);
  const destination = commandDestination(values, env);
  const pushUrl = pushUrlOf(values, env, destination);
  const redisUrl = redisUrlOf(values, env, output, command);
  const [{ createFlashCall }, fetch, pacer] = await Promise.all([
    import("flash-call"),
    transportFor(env, context.transport),
    redisPacer(redisUrl, output),
  ]);
  const flashCall = createFlashCall({
    // The key and its base URL as resolved above; the push URL only for its other query parameters.
    integrationKey: destination.key.reveal(),
    baseUrl: destination.baseUrl,
    ...(pushUrl !== undefined && { pushUrl }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(fetch !== undefined && { fetch }),
    // With --redis, every flash-call process given the same Redis shares the key's rate limit.
    ...(pacer !== undefined && { rateLimit: { pacer } }),
    logger: {
      warn: (message) => output.warn(message),
      error: (message) => output.warn(message),
    },
  });
  return { flashCall, destination };
}
