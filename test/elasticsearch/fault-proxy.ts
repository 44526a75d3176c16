// A fault-injecting TCP proxy on loopback, in front of a real Elasticsearch node, for the engine
// fault tests. Its mode can be switched at any moment:
// - pass: bytes flow both ways untouched;
// - delay: every chunk the node sends reaches the client `ms` later (a slow or overloaded
//   node: it answers, but late), order kept;
// - drop: open connections are reset and new ones are accepted and reset at once (a node
//   that crashes mid-answer, a middlebox killing connections);
// - refuse: the proxy stops listening and resets open connections (the node is stopped: a
//   connect is refused); switching back to any other mode listens again on the same port
//   (the node restarted).
// A TCP proxy rather than an HTTP one, so that the client's own connection pool, keep-alive and
// timeouts meet the faults exactly as they would meet a real node.
import net from "node:net";

export type FaultMode =
  | { kind: "pass" }
  | { kind: "delay"; ms: number }
  | { kind: "drop" }
  | { kind: "refuse" };

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Resolves once the new mode is in force (listening again, or no longer). */
  set(mode: FaultMode): Promise<void>;
  /** Connections accepted so far (every mode but refuse accepts). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const upstreamPort = Number(target.port || 80);
  let mode: FaultMode = { kind: "pass" };
  let accepted = 0;
  const open = new Set<{ client: net.Socket; node: net.Socket }>();

  const server = net.createServer((client) => {
    accepted++;
    if (mode.kind === "drop") {
      client.resetAndDestroy();
      return;
    }
    const node = net.connect(upstreamPort, target.hostname);
    const pair = { client, node };
    open.add(pair);
    const end = () => {
      open.delete(pair);
      client.destroy();
      node.destroy();
    };
    client.on("error", end).on("close", end);
    node.on("error", end).on("close", end);
    client.on("data", (chunk) => node.write(chunk));
    // Chunks keep their order: each is due no earlier than the one before it.
    let lastDue = 0;
    node.on("data", (chunk) => {
      if (mode.kind !== "delay") {
        if (lastDue <= Date.now()) {
          client.write(chunk);
          return;
        }
      }
      const delay = mode.kind === "delay" ? mode.ms : 0;
      const due = Math.max(Date.now() + delay, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, due - Date.now());
    });
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const resetAll = () => {
    for (const { client, node } of open) {
      client.resetAndDestroy();
      node.destroy();
    }
    open.clear();
  };

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    async set(next: FaultMode) {
      const wasListening = mode.kind !== "refuse";
      mode = next;
      if (next.kind === "drop") resetAll();
      if (next.kind === "refuse") {
        resetAll();
        if (wasListening) await new Promise<void>((r) => server.close(() => r()));
      } else if (!wasListening) {
        await listen(port);
      }
    },
    async close() {
      resetAll();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
