import type { MockValues } from "./args.js";
import { integerFlag, positiveIntegerFlag } from "./args.js";
import type { CommandContext } from "./connection.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { rateLimitFlag } from "./rate-limit-flag.js";

/** A plain word needs no quotes in a `key=value` list; anything else is shown JSON-quoted. */
const PLAIN_VALUE = /^[^\s"'=\\]*$/;

/**
 * An event's labels as one indented line under it, `key=value` in the order sent (a value with spaces or
 * quotes JSON-quoted), or undefined when it has none.
 *
 * @example
 * labelsLine({ host: "db-1", service: "billing" }); // "  labels: host=db-1 service=billing"
 */
export function labelsLine(labels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return undefined;
  const shown = entries.map(
    ([name, value]) => `${name}=${PLAIN_VALUE.test(value) ? value : JSON.stringify(value)}`,
  );
  return `  labels: ${shown.join(" ")}`;
}

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}

/**
 * `flash-call mock`: starts the testing package's mock Flashduty, prints its inspector's address and its push URL
 * (with a mock key, which is fine to show) and each event it accepts, until SIGINT/SIGTERM. `--max-records` and
 * `--max-record-bytes` are the mock's `maxRecords` and `maxRecordBytes` (default: the testing package's): how much
 * it keeps, forgetting the oldest records first, so a mock left running for days stays within bounded memory.
 *
 * @example
 * await mockCommand({ port: "8787" }, context, interrupted());
 */
export async function mockCommand(
  values: MockValues,
  context: CommandContext,
  stop: Promise<unknown> = interrupted(),
): Promise<ExitCode> {
  const { output } = context;
  const port = integerFlag("--port", values.port, "mock", 65_535);
  const maxRecords = positiveIntegerFlag("--max-records", values["max-records"], "mock");
  const maxRecordBytes = positiveIntegerFlag("--max-record-bytes", values["max-record-bytes"], "mock");
  const rateLimit = rateLimitFlag(values["rate-limit"]);
  const { DEFAULT_RATE_LIMIT, startMockServer } = await import("@flash-call/testing/server");
  const limits = rateLimit === false ? undefined : { ...DEFAULT_RATE_LIMIT, ...rateLimit };
  const server = await startMockServer({
    ...(rateLimit !== undefined && { rateLimit }),
    ...(port !== undefined && { port }),
    ...(values.host !== undefined && { host: values.host }),
    ...(maxRecords !== undefined && { maxRecords }),
    ...(maxRecordBytes !== undefined && { maxRecordBytes }),
  });
  if (output.json) {
    output.print(
      JSON.stringify({
        listening: server.url,
        push_url: server.pushUrl,
        change_push_url: server.changePushUrl,
        inspector: server.inspectorUrl,
        mock_key: true,
        rate_limit:
          limits === undefined ? false : { per_second: limits.perSecond, per_minute: limits.perMinute },
      }),
      { scrub: false },
    );
  } else {
    output.print(
      [
        `mock Flashduty listening on ${server.url}`,
        `inspector (open it in a browser: every request, alert and rendered title, live): ${server.inspectorUrl}`,
        `push URL (its key is a generated mock key, not a real Flashduty key):`,
        `  ${server.pushUrl}`,
        `try: FLASHDUTY_PUSH_URL='${server.pushUrl}' flash-call push --title "hello" --status Info`,
        `change push URL: ${server.changePushUrl}`,
        limits === undefined
          ? "rate limits: off (--rate-limit off)"
          : `rate limits per key: ${limits.perSecond}/s and ${limits.perMinute}/min${rateLimit === undefined ? ", as Flashduty's" : ""}; over them a push gets 429 RequestTooFrequently with Retry-After (--rate-limit off lifts them)`,
        "waiting for events (Ctrl-C to stop)…",
      ].join("\n"),
      { scrub: false },
    );
  }
  /** One received event: its JSON line, or a line with its time and `head` and its labels under it. */
  const show = (
    received: { integration: string; received_at: number; labels?: Record<string, string> },
    head: string,
  ) => {
    if (output.json) {
      const { integration: _integration, ...shown } = received;
      output.print(JSON.stringify(shown));
      return;
    }
    const line = `${new Date(received.received_at).toISOString()} ${head}`;
    const labels = labelsLine(received.labels);
    output.print(labels === undefined ? line : `${line}\n${labels}`);
  };
  server.onEvent((event) =>
    show(
      event,
      `${event.event_status.padEnd(8)} alert_key=${event.alert_key} ${JSON.stringify(event.title_rule)}`,
    ),
  );
  server.onChange((change) =>
    show(
      change,
      `change ${change.change_status.padEnd(10)} change_key=${change.change_key} ${JSON.stringify(change.title)}`,
    ),
  );
  await stop;
  await server.close();
  output.result("mock stopped");
  return EXIT_CODES.delivered;
}
