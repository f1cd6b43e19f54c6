import { once } from "node:events";
import { mkdtemp, readdir } from "node:fs/promises";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, expectClean, neverPrint, runCli } from "./run-cli.js";

// The bin through a hand-written proxy that breaks its tunnels in the ways a broken or hostile proxy does.
const KEY = "brokenproxykey0123456789ab";
neverPrint(KEY);

let answer: (socket: Socket) => void = () => {};
let connects = 0;
let server: Server;
let proxyUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let head = "";
    socket.on("data", (bytes) => {
      head += bytes.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.removeAllListeners("data");
      connects++;
      answer(socket);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

beforeEach(() => {
  connects = 0;
});

const push = (spool: string) =>
  runCli(
    ["push", "--title", "via a broken proxy", "--status", "Info", "--retries", "0", "--timeout", "5000"],
    // The destination is never reached: the proxy answers for it.
    baseEnv({
      FLASHDUTY_INTEGRATION_KEY: KEY,
      FLASHDUTY_BASE_URL: "http://127.0.0.1:65000",
      HTTP_PROXY: proxyUrl,
      FLASH_CALL_SPOOL: spool,
    }),
  );

describe("a proxy that drops the tunnel before the request is written", () => {
  it.each([
    ["closes the connection on CONNECT", (socket: Socket) => socket.destroy()],
    [
      "follows its 200 with bytes of its own",
      (socket: Socket) => socket.write("HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ],
  ])(
    "%s: the push fails at once with a network error and is spooled; two CONNECTs, not a loop",
    async (_, how) => {
      answer = how;
      const spool = await mkdtemp(join(tmpdir(), "flash-call-broken-proxy-"));
      const run = await push(spool);
      expectClean(run);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(
        /NetworkError: .*the proxy dropped the connection before the request was sent/,
      );
      expect((await readdir(spool)).filter((name) => name.endsWith(".json"))).toHaveLength(1);
      expect(connects).toBeLessThanOrEqual(2);
    },
  );
});
