import { type MockServer, startMockServer } from "@flash-call/testing";
import { afterEach } from "vitest";
import { neverPrint } from "./run-cli.js";

/**
 * A fresh mock Flashduty per call, closed after each test, whose key no run may print.
 *
 * @example
 * const mock = mockServers();
 * test("…", async () => { const server = await mock(); … });
 */
export function mockServers(): () => Promise<MockServer> {
  const servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async () => {
    const server = await startMockServer();
    servers.push(server);
    neverPrint(server.integrationKey);
    return server;
  };
}

/** What the mock keeps of each change event: the payload as sent, without the receipt. */
export const changePayloads = (server: MockServer) =>
  server.changeEvents.map(({ request_id: _id, received_at: _at, integration: _key, ...event }) => event);
