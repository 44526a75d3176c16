// A minimal Chrome DevTools Protocol client over a hand-rolled WebSocket (Node 20 has no global
// WebSocket without a flag, and this is the only use), for reading a workerd isolate's V8 heap
// and CPU profile through `wrangler dev`'s inspector. Text frames only, client frames masked.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("close", () => {
      for (const p of this.pending.values()) p.reject(new Error("inspector connection closed"));
      this.pending.clear();
    });
  }

  /** Connects to the first target the inspector at `inspectorUrl` (http://host:port/) lists. */
  static async connect(inspectorUrl: URL): Promise<CdpSession> {
    const list = (await (await fetch(new URL("/json", inspectorUrl))).json()) as {
      webSocketDebuggerUrl?: string;
    }[];
    const target = list.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    if (!target) throw new Error(`no inspector target at ${inspectorUrl.href}`);
    const ws = new URL(target);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = http.request({
        host: ws.hostname,
        port: ws.port,
        path: ws.pathname + ws.search,
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": randomBytes(16).toString("base64"),
        },
      });
      req.on("upgrade", (_res, sock) => resolve(sock));
      req.on("response", (res) =>
        reject(new Error(`inspector refused upgrade: ${res.statusCode}`)),
      );
      req.on("error", reject);
      req.end();
    });
    return new CdpSession(socket);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(frame(payload));
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0] as number;
      const b1 = this.buffer[1] as number;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const data = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      const opcode = b0 & 0x0f;
      if (opcode === 0x8) return; // close
      if (opcode === 0x9 || opcode === 0xa) continue; // ping/pong
      this.fragments.push(Buffer.from(data));
      if ((b0 & 0x80) === 0) continue; // more fragments follow
      const text = Buffer.concat(this.fragments).toString("utf8");
      this.fragments = [];
      const msg = JSON.parse(text) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (msg.id === undefined) continue; // an event
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    }
  }
}

function frame(payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const header =
    len < 126
      ? Buffer.from([0x81, 0x80 | len])
      : len < 65_536
        ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x81;
            h[1] = 0x80 | 127;
            h.writeBigUInt64BE(BigInt(len), 2);
            return h;
          })();
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, mask, masked]);
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Milliseconds the isolate spent running (samples not in `(idle)`), from a CPU profile. */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
  );
  let us = 0;
  profile.samples.forEach((s, i) => {
    if (!idle.has(s)) us += profile.timeDeltas[i] ?? 0;
  });
  return us / 1000;
}
