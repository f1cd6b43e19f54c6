import type { ServerResponse } from "node:http";
import type { AlertRecord } from "./alert-store.js";
import type { AcceptedChange } from "./change-store.js";
import { shownPart } from "./inspector-shown.js";
import type { CoreRecord, MockCore } from "./mock-core.js";
import type { ReceivedEvent, RecordedRequest } from "./received-event.js";
import { RecordLog } from "./record-limit.js";

/**
 * One answered request as the page receives it: an SSE `request` message, followed by a `change` message with
 * the same `seq` when it was an accepted change push.
 */
export interface InspectorEntry {
  /** Arrival order, from 1; never reused, even after a clear. */
  seq: number;
  request: RecordedRequest;
  /** The stored event, when the push was accepted. */
  event?: ReceivedEvent;
  /** Its alert's lifecycle right after this event (absent for an `Ok` of an unknown alert). */
  alert?: Pick<
    AlertRecord,
    "alert_key" | "status" | "title_rule" | "rendered_title" | "opened_at" | "resolved_at"
  >;
  /** The stored change event and what was truncated, when a change push was accepted (its own `change` message). */
  change?: AcceptedChange;
}

/** Options of {@link createInspectorFeed}. */
export interface InspectorFeedOptions {
  /** What the page shows as the push URL: never the key (masked). */
  pushUrlShown: string;
  /**
   * What the page shows as the change push URL, masked like `pushUrlShown`.
   * @default "" (none shown)
   */
  changePushUrlShown?: string;
  /**
   * How many of the latest requests a new page is sent first.
   * @default 1000
   */
  replayLimit?: number;
  /**
   * Bytes a client's socket may hold unsent before the feed stops writing to it until it drains.
   * @default 65536
   */
  highWaterBytes?: number;
}

/** The server side of the inspector: the entries, the SSE clients and the NDJSON download. */
export interface InspectorFeed {
  /** Turns `outgoing` into an SSE stream: a `hello`, the latest entries, then each new one live. */
  attach(outgoing: ServerResponse): void;
  /** Every accepted alert push's body as it arrived, one JSON object per line, oldest first. */
  ndjson(): string;
  /** Every accepted change push's body as it arrived, one JSON object per line, oldest first. */
  changesNdjson(): string;
  /** Bytes each connected client's socket holds unsent right now (for tests of slow clients). */
  backlogs(): number[];
  /** Ends every SSE stream and stops listening to the core. */
  close(): void;
}

/** The event stream's response headers (a `HEAD` of it is answered with them and no stream). */
export const INSPECTOR_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

/** Tells the browser how long to wait before it reconnects (ms). */
const RETRY_MS = 1000;

interface Client {
  outgoing: ServerResponse;
  /** The seq of the next entry this client is sent. */
  next: number;
  /** A `clear` the client has not been sent yet. */
  clearPending: boolean;
}

/**
 * The inspector's feed. A slow client never makes the server buffer without bound: each client has a cursor into
 * the entries the mock keeps anyway, and the feed writes to it only while its socket holds less than
 * `highWaterBytes`; when the socket drains, it catches up from its cursor.
 *
 * @example
 * ```ts
 * const feed = createInspectorFeed(core, { pushUrlShown });
 * feed.attach(outgoing); // for GET /inspector/events
 * ```
 */
export function createInspectorFeed(core: MockCore, options: InspectorFeedOptions): InspectorFeed {
  const replayLimit = options.replayLimit ?? 1000;
  const highWater = options.highWaterBytes ?? 65_536;
  const entries: InspectorEntry[] = [];
  /** The accepted pushes' bodies as sent, by seq: alerts and changes apart, as each has its own download. */
  const sentAlerts = new Map<number, unknown>();
  const sentChanges = new Map<number, unknown>();
  const log = new RecordLog(entries, core.limits, (forgotten) => {
    sentAlerts.delete(forgotten.seq);
    sentChanges.delete(forgotten.seq);
  });
  const clients = new Set<Client>();
  let nextSeq = 1;

  const firstSeq = () => entries[0]?.seq ?? nextSeq;
  const message = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  /**
   * An entry's messages as the page is sent them, bounded by `shownPart`. Made for each write rather than kept:
   * kept, they would be a second copy of every record the mock holds.
   */
  const messagesOf = (entry: InspectorEntry): string => {
    const { change, ...request } = shownPart(entry);
    const made = message("request", request);
    return change === undefined ? made : made + message("change", { seq: entry.seq, change });
  };

  function flush(client: Client): void {
    const { outgoing } = client;
    if (outgoing.destroyed || outgoing.writableEnded) return;
    if (client.clearPending) {
      client.clearPending = false;
      outgoing.write(message("clear", {}));
    }
    client.next = Math.max(client.next, firstSeq());
    while (client.next < nextSeq && outgoing.writableLength < highWater) {
      const entry = entries[client.next - firstSeq()];
      client.next++;
      if (entry !== undefined) outgoing.write(messagesOf(entry));
    }
  }

  function add(record: CoreRecord): void {
    const alert = record.event === undefined ? undefined : core.alerts.get(record.event.alert_key);
    const entry: InspectorEntry = {
      seq: nextSeq++,
      request: record.request,
      ...(record.event === undefined ? {} : { event: record.event }),
      ...(alert === undefined
        ? {}
        : {
            alert: {
              alert_key: alert.alert_key,
              status: alert.status,
              title_rule: alert.title_rule,
              rendered_title: alert.rendered_title,
              opened_at: alert.opened_at,
              ...(alert.resolved_at === undefined ? {} : { resolved_at: alert.resolved_at }),
            },
          }),
      ...(record.change === undefined ? {} : { change: record.change }),
    };
    if (record.event !== undefined) sentAlerts.set(entry.seq, record.sent);
    if (record.change !== undefined) sentChanges.set(entry.seq, record.sent);
    // Within the core's limits, or the feed (and its downloads) would grow for ever.
    log.add(entry, record.weight ?? 0);
    for (const client of clients) flush(client);
  }

  const stop = core.observe((notice) => {
    if (notice.type === "request") {
      add(notice.record);
      return;
    }
    log.clear();
    sentAlerts.clear();
    sentChanges.clear();
    for (const client of clients) {
      client.clearPending = true;
      flush(client);
    }
  });

  return {
    attach(outgoing) {
      outgoing.writeHead(200, INSPECTOR_STREAM_HEADERS);
      const omitted = Math.max(0, entries.length - replayLimit);
      outgoing.write(`retry: ${RETRY_MS}\n\n`);
      const hello = {
        push_url: options.pushUrlShown,
        change_push_url: options.changePushUrlShown ?? "",
        changes: true,
        omitted,
        kept: core.limits.records,
      };
      outgoing.write(message("hello", hello));
      const client: Client = { outgoing, next: firstSeq() + omitted, clearPending: false };
      clients.add(client);
      outgoing.on("drain", () => flush(client));
      outgoing.on("close", () => clients.delete(client));
      flush(client);
    },
    ndjson: () => bodiesAsNdjson(sentAlerts),
    changesNdjson: () => bodiesAsNdjson(sentChanges),
    backlogs() {
      return [...clients].map((client) => client.outgoing.writableLength);
    },
    close() {
      stop();
      for (const client of clients) client.outgoing.end();
      clients.clear();
    },
  };
}

/** One JSON line per body, in arrival order (a Map keeps insertion order, and seqs are inserted ascending). */
function bodiesAsNdjson(bodies: Map<number, unknown>): string {
  return [...bodies.values()].map((body) => `${JSON.stringify(body)}\n`).join("");
}
