import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A push that arrived and is waiting for its answer. */
export interface HeldPush {
  /** The event as sent. */
  event: { title_rule?: string; alert_key?: string };
  /** Answers it as Flashduty accepts an event. */
  accept(): void;
}

/**
 * A Flashduty stand-in on 127.0.0.1 that answers nothing until told to: each push is held, so a test decides when
 * an event is delivered without depending on timing.
 */
export interface HeldServer {
  pushUrl: string;
  integrationKey: string;
  /** Every push received, in order of arrival. */
  received: HeldPush[];
  /** Resolves when `count` pushes have arrived in all. */
  arrived(count: number): Promise<void>;
  /** Accepts every push held now and every later one at once. */
  acceptAll(): void;
  close(): Promise<void>;
}

export async function startHeldServer(): Promise<HeldServer> {
  const received: HeldPush[] = [];
  const waiters: { count: number; wake: () => void }[] = [];
  let acceptingAll = false;
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const event = JSON.parse(text) as HeldPush["event"];
    let answered = false;
    const push: HeldPush = {
      event,
      accept() {
        if (answered) return;
        answered = true;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            request_id: `r${received.indexOf(push)}`,
            data: { alert_key: event.alert_key ?? "generated" },
          }),
        );
      },
    };
    received.push(push);
    for (const waiter of waiters.filter((candidate) => received.length >= candidate.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.wake();
    }
    if (acceptingAll) push.accept();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const integrationKey = "held0server0key0abcdef0123456789";
  return {
    pushUrl: `http://127.0.0.1:${port}/event/push/alert/standard?integration_key=${integrationKey}`,
    integrationKey,
    received,
    arrived: (count) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise((wake) => {
            waiters.push({ count, wake });
          }),
    acceptAll() {
      acceptingAll = true;
      for (const push of received) push.accept();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
