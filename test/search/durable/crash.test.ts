// kill -9 in the middle of applies: a child process applies updates through the durable
// backend and acknowledges each one on stdout; it is killed while applies are in flight, and an
// engine opened afresh from the same files must hold every acknowledged version (or a newer
// one). Twice, so the second run also appends after a replay of the first run's log.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryLogger, openFromFiles, tempDir, writeFeed } from "./helpers.js";

const CHILD = fileURLToPath(new URL("./crash-child.ts", import.meta.url));

/** Runs the child until `acks` acknowledgements, kills it with SIGKILL, returns every ack. */
async function runAndKill(feed: string, log: string, firstVersion: number, acks: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CHILD, feed, log, String(firstVersion)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const acked: { id: string; updatedAt: string }[] = [];
  let stderr = "";
  let rest = "";
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  child.stdout.on("data", (d) => {
    const lines = (rest + String(d)).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const m = /^ack (\S+) (\S+)$/.exec(line);
      if (m) acked.push({ id: m[1] as string, updatedAt: m[2] as string });
      if (acked.length >= acks && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    }
  });
  // "close": the child is gone and everything it printed has been read.
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on("close", (c, s) => resolve([c, s])),
  );
  expect({ code, signal, stderr: signal === "SIGKILL" ? "" : stderr }).toEqual({
    code: null,
    signal: "SIGKILL",
    stderr: "",
  });
  return acked;
}

describe("kill -9 during applies", () => {
  it("loses nothing that was acknowledged", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 20);
    const log = `${feed}.updates.ndjson`;
    const acked = [
      ...(await runAndKill(feed, log, 1, 150)),
      ...(await runAndKill(feed, log, 1_000_000, 150)),
    ];
    expect(acked.length).toBeGreaterThanOrEqual(300);

    const logger = memoryLogger();
    const fresh = await openFromFiles(feed, log, { logger });
    const newest = new Map<string, string>();
    for (const a of acked) {
      if ((newest.get(a.id) ?? "") < a.updatedAt) newest.set(a.id, a.updatedAt);
    }
    for (const [id, updatedAt] of newest) {
      const held = (await fresh.get(id))?.updatedAt ?? "(missing)";
      expect(held >= updatedAt, `${id}: acknowledged ${updatedAt}, found ${held}`).toBe(true);
    }
    // the log replays cleanly: at most a torn last line, never a refused one
    expect(logger.logged.filter((l) => l.msg === "update log line rejected")).toEqual([]);
    await fresh.close();
  });
});
