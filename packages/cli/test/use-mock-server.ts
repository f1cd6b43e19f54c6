import { type MockServer, startMockServer } from "@flash-call/testing/server";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { baseEnv, neverPrint } from "./run-cli.js";

/** A started mock and the environment that points the CLI at it. */
export interface MockedFlashduty {
  mock: MockServer;
  env: Record<string, string>;
}

/**
 * One mock Flashduty for a CLI test file: started before its tests (its key registered as never to be printed),
 * reset before each test, closed after the file. `onStart` receives the mock and an environment whose
 * `FLASHDUTY_PUSH_URL` points at it.
 *
 * @example
 * let mock: MockServer;
 * let env: Record<string, string>;
 * useMockServer((started) => ({ mock, env } = started));
 */
export function useMockServer(onStart: (started: MockedFlashduty) => void): void {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer();
    neverPrint(mock.integrationKey);
    onStart({ mock, env: baseEnv({ FLASHDUTY_PUSH_URL: mock.pushUrl }) });
  });
  afterAll(() => mock?.close());
  beforeEach(() => mock?.reset());
}
