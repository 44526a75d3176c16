// The whole service as an operator runs it (`npm start` with PARTNERS_FILE, a child process):
// pushes through POST /v1/admin/partners from three clients at once, the process killed with
// SIGKILL while pushes are in flight, started again: every push that was answered 200 is there,
// deletes included, and a replay of an answered push changes nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { idOf, raw, tempDir, tombstone, writeFeed } from "./search/durable/helpers.js";

const ADMIN = "admin-kill-test-token-0123456789";
const root = new URL("../", import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function startService(feed: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PARTNERS_FILE: feed,
      ADMIN_API_TOKENS: ADMIN,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ADMIN_RATE_LIMIT_PER_MINUTE: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the service did not start within 30 s");
}

const push = (url: string, lines: object[]) =>
  fetch(`${url}/v1/admin/partners`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/x-ndjson" },
    body: lines.map((l) => JSON.stringify(l)).join("\n"),
  });

describe("the service killed during pushes", () => {
  it("loses nothing it acknowledged", { timeout: 90_000 }, async () => {
    const feed = writeFeed(tempDir(), 30);
    const first = await startService(feed);
    const generation = async (url: string) =>
      ((await (await fetch(`${url}/readyz`)).json()) as { details: { generation: number } }).details
        .generation;
    const g0 = await generation(first.url);
    /** Per id, the newest version whose push was answered 200: a name, or null once deleted. */
    const acked = new Map<string, { second: number; name: string | null }>();
    /** Per id, the newest tombstone sent, answered or not. */
    const tombstonesSent = new Map<string, number>();
    let answered = 0;
    let killed = false;
    const pusher = async (k: number) => {
      for (let step = 1; !killed; step++) {
        const i = 1 + ((step * 3 + k) % 30);
        const second = step * 10 + k;
        const line = step % 7 === 0 ? tombstone(i, second) : raw(i, second);
        if (line.deleted === true) {
          tombstonesSent.set(idOf(i), Math.max(second, tombstonesSent.get(idOf(i)) ?? 0));
        }
        let res: Response;
        try {
          res = await push(first.url, [line]);
        } catch {
          return; // the process is gone: this push was never answered
        }
        if (res.status !== 200) throw new Error(`push answered ${res.status}`);
        try {
          await res.json();
        } catch {
          return; // killed between the status line and the end of the body: not acknowledged
        }
        const held = acked.get(idOf(i));
        if (!held || held.second < second) {
          acked.set(idOf(i), {
            second,
            name: line.deleted === true ? null : String((line as { name?: string }).name),
          });
        }
        answered++;
      }
    };
    const pushers = [0, 1, 2].map(pusher);
    while (answered < 120) await new Promise((r) => setTimeout(r, 5));
    expect(await generation(first.url)).toBeGreaterThan(g0);
    killed = true;
    const exited = new Promise((r) => first.child.once("exit", r));
    first.child.kill("SIGKILL");
    await Promise.all([exited, ...pushers]);

    const second = await startService(feed);
    try {
      // A push in flight at the kill may have been logged without being answered, so an id may
      // hold a newer version than the newest acknowledged one; never an older one.
      const versionIn = (name: string) => Number(/ v(\d+)$/.exec(name)?.[1]);
      for (const [id, want] of acked) {
        const res = await fetch(`${second.url}/v1/directory/partners/${id}`);
        if (res.status === 404) {
          // Deleted by an acknowledged tombstone, or by a newer one in flight at the kill.
          if (want.name !== null) {
            expect(tombstonesSent.get(id) ?? 0, `${id} deleted`).toBeGreaterThan(want.second);
          }
          continue;
        }
        const name = ((await res.json()) as { name: string }).name;
        if (want.name === null) expect(versionIn(name), id).toBeGreaterThan(want.second);
        else expect(versionIn(name), id).toBeGreaterThanOrEqual(want.second);
      }
      // Replaying what was acknowledged changes nothing.
      const replay = [...acked].map(([id, v]) =>
        v.name === null
          ? tombstone(Number(id.slice(2)), v.second)
          : raw(Number(id.slice(2)), v.second),
      );
      const again = (await (await push(second.url, replay)).json()) as Record<string, number>;
      expect(again).toMatchObject({ indexed: 0, updated: 0, deleted: 0, stale: replay.length });
    } finally {
      second.child.kill("SIGKILL");
    }
  });
});
