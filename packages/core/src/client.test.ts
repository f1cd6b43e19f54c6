import { afterEach, describe, expect, test, vi } from "vitest";
import { createClient, DEFAULT_BASE_URL } from "./client.js";
import { PUSH_PATH } from "./constants.js";

const KEY = "c0r3c0r3c0r3c0r3c0r3c0r3c0r3c0r3";
const EVENT = { title_rule: "CPU high on db-1", event_status: "Warning" } as const;
const SUCCESS = { request_id: "r-1", data: { alert_key: "ak-1" } };

interface Seen {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records what it is given, as a user's fetch sees it, and answers Flashduty's success. */
function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(request?.headers ?? init?.headers);
    const body = request ? await request.text() : new TextDecoder().decode(init?.body as ArrayBuffer);
    seen.push({
      url: request?.url ?? String(input),
      method: request?.method ?? init?.method,
      headers: Object.fromEntries(headers),
      body,
    });
    return new Response(JSON.stringify(SUCCESS), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
}

const push = (client: ReturnType<typeof createClient>) =>
  client.POST(PUSH_PATH, { params: { query: { integration_key: KEY } }, body: EVENT });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createClient", () => {
  test("posts the event as JSON to the push path under the base URL, with the key in the query", async () => {
    const seen: Seen[] = [];
    const client = createClient({ baseUrl: "https://flashduty.test/prefix", fetch: recordingFetch(seen) });
    const { data, error } = await push(client);
    expect(error).toBeUndefined();
    expect(data).toEqual(SUCCESS);
    expect(seen).toHaveLength(1);
    const [sent] = seen;
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(`https://flashduty.test/prefix${PUSH_PATH}?integration_key=${KEY}`);
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual(EVENT);
  });

  test("goes to Flashduty's production origin by default", async () => {
    const seen: Seen[] = [];
    await push(createClient({ fetch: recordingFetch(seen) }));
    expect(seen[0]?.url.startsWith(`${DEFAULT_BASE_URL}${PUSH_PATH}?`)).toBe(true);
  });

  test("passes the headers it was given with every request", async () => {
    const seen: Seen[] = [];
    const client = createClient({ fetch: recordingFetch(seen), headers: { "x-trace": "abc" } });
    await push(client);
    await push(client);
    expect(seen.map((request) => request.headers["x-trace"])).toEqual(["abc", "abc"]);
  });

  test("reads globalThis.fetch at call time, not when the client is created", async () => {
    const client = createClient({ baseUrl: "https://flashduty.test" });
    const seen: Seen[] = [];
    // Installed after the client exists, as msw or a late polyfill would be.
    vi.stubGlobal("fetch", recordingFetch(seen));
    await push(client);
    const later: Seen[] = [];
    vi.stubGlobal("fetch", recordingFetch(later));
    await push(client);
    expect([seen.length, later.length]).toEqual([1, 1]);
    expect(later[0]?.url).toBe(`https://flashduty.test${PUSH_PATH}?integration_key=${KEY}`);
  });

  test("gives a user's fetch a URL and a plain init, not this realm's Request", async () => {
    const inputs: unknown[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      inputs.push(input);
      return new Response(JSON.stringify(SUCCESS), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    };
    await push(createClient({ baseUrl: "https://flashduty.test", fetch }));
    expect(typeof inputs[0]).toBe("string");
  });

  test("an error answer comes back as `error`, with the response", async () => {
    const failing: typeof fetch = async () =>
      new Response(
        JSON.stringify({ request_id: "r-2", error: { code: "Unauthorized", message: "bad key" } }),
        {
          status: 401,
          headers: { "content-type": "application/json" },
        },
      );
    const { data, error, response } = await push(createClient({ fetch: failing }));
    expect(data).toBeUndefined();
    expect(error).toEqual({ request_id: "r-2", error: { code: "Unauthorized", message: "bad key" } });
    expect(response.status).toBe(401);
  });
});
