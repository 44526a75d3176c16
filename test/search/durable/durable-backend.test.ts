// The durable decorator over the embedded engine: what apply acknowledged is there after a
// restart (deletes too, stale versions skipped), replay changes nothing when repeated, the log
// is compacted without losing an update, and readiness says where updates are kept.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDurable } from "../../../src/search/durable/durable-backend.js";
import { readUpdateLog } from "../../../src/search/durable/update-log.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, policy } from "../../helpers.js";
import {
  entry,
  idOf,
  memoryLogger,
  openFromFiles,
  raw,
  tempDir,
  tombstone,
  writeFeed,
} from "./helpers.js";

const nameOf = async (b: { get(id: string): Promise<{ name: string } | undefined> }, i: number) =>
  (await b.get(idOf(i)))?.name;

describe("durable backend", () => {
  it("keeps every applied update across a restart; deletes stay, stale versions are skipped", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 20);
    const logFile = `${feed}.updates.ndjson`;
    const first = await openFromFiles(feed, logFile);
    expect(await first.apply([entry(raw(1, 10)), entry(raw(2, 10))])).toEqual({
      indexed: 0,
      updated: 2,
      deleted: 0,
      stale: 0,
    });
    // The engine's generation shows through, so answers cached per generation stay valid.
    const generation = first.generation as number;
    await first.apply([entry(raw(21, 5))]);
    expect(first.generation).toBeGreaterThan(generation);
    await first.apply([entry(tombstone(3, 10))]);
    // older than what the feed holds (version 0 is 2026-10-15): skipped, not an error
    const stale = await first.apply([entry(raw(4, -10))]);
    expect(stale.stale).toBe(1);
    await first.apply([entry(raw(1, 11))]);
    await first.close();

    const logger = memoryLogger();
    const second = await openFromFiles(feed, logFile, { logger });
    expect(await nameOf(second, 1)).toBe("Partner 1 v11");
    expect(await nameOf(second, 2)).toBe("Partner 2 v10");
    expect(await nameOf(second, 21)).toBe("Partner 21 v5");
    expect(await second.get(idOf(3))).toBeUndefined();
    expect(await nameOf(second, 4)).toBe("Partner 4 v0");
    expect(await nameOf(second, 5)).toBe("Partner 5 v0");
    const ready = await second.readiness();
    expect(ready).toMatchObject({
      ready: true,
      backend: "memory",
      details: { profiles: 20, updateLog: logFile, updateLogEntries: 6 },
    });
    expect(logger.logged).toContainEqual(
      expect.objectContaining({
        msg: "update log replayed",
        data: expect.objectContaining({ lines: 6, entries: 5, rejected: 0, torn: 0 }),
      }),
    );
    // replaying once more changes nothing: every entry of the log is stale by now
    const { entries: logged } = await readUpdateLog(logFile, catalog);
    expect(await second.applyUnlogged(logged)).toEqual({
      indexed: 0,
      updated: 0,
      deleted: 0,
      stale: logged.length,
    });
    await second.close();
    const third = await openFromFiles(feed, logFile);
    expect(await nameOf(third, 1)).toBe("Partner 1 v11");
    await third.close();
  });

  it("tells afterApply each logged apply's entry count, once queries read it", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 5);
    const seen: [number, string | undefined][] = [];
    let b: Awaited<ReturnType<typeof openFromFiles>> | undefined;
    b = await openFromFiles(feed, `${feed}.updates.ndjson`, {
      afterApply: (n) =>
        void nameOf(b as NonNullable<typeof b>, 1).then((name) => seen.push([n, name])),
    });
    await b.apply([entry(raw(1, 10)), entry(raw(2, 10))]);
    await b.apply([]);
    await b.apply([entry(tombstone(3, 10))]);
    await b.close();
    expect(seen).toEqual([
      [2, "Partner 1 v10"],
      [1, "Partner 1 v10"],
    ]);
  });

  it("applies overlapping calls in log order, so the state now is the state after a restart", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 10);
    const logFile = join(dir, "log.ndjson");
    const b = await openFromFiles(feed, logFile);
    // equal versions with different names: the first one logged wins, now and on replay
    const calls = Array.from({ length: 30 }, (_, c) => [
      entry(raw(1 + (c % 5), 1 + Math.floor(c / 10), { name: `call ${c}` })),
    ]);
    await Promise.all(calls.map((batch) => b.apply(batch)));
    const now = await Promise.all([1, 2, 3, 4, 5].map((i) => nameOf(b, i)));
    expect(now).toEqual(["call 20", "call 21", "call 22", "call 23", "call 24"]);
    await b.close();
    const restarted = await openFromFiles(feed, logFile);
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => nameOf(restarted, i)))).toEqual(now);
    await restarted.close();
  });

  it("compacts a grown log at start and loses nothing that was acknowledged", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 30);
    const logFile = join(dir, "log.ndjson");
    const compactAt = { lines: 50, bytes: 1 << 30 };
    const acked = new Map<number, number>();
    const b = await openFromFiles(feed, logFile, { compactAt });
    for (let v = 1; v <= 4; v++) {
      for (let i = 1; i <= 30; i++) {
        await b.apply([entry(raw(i, v))]);
        acked.set(i, v);
      }
    }
    await b.apply([entry(tombstone(30, 9))]);
    await b.close();
    expect(readFileSync(logFile, "utf8").split("\n").filter(Boolean)).toHaveLength(121);

    const logger = memoryLogger();
    const c = await openFromFiles(feed, logFile, { compactAt, logger });
    expect(logger.logged).toContainEqual(
      expect.objectContaining({
        msg: "update log compacted",
        data: expect.objectContaining({ before: 121, after: 30 }),
      }),
    );
    expect((await c.readiness()).details).toMatchObject({ updateLogEntries: 30 });
    for (let i = 1; i < 30; i++) expect(await nameOf(c, i)).toBe(`Partner ${i} v${acked.get(i)}`);
    expect(await c.get(idOf(30))).toBeUndefined();
    await c.apply([entry(raw(1, 20))]);
    await c.close();

    const d = await openFromFiles(feed, logFile, { compactAt });
    expect(await nameOf(d, 1)).toBe("Partner 1 v20");
    expect(await nameOf(d, 29)).toBe("Partner 29 v4");
    expect(await d.get(idOf(30))).toBeUndefined();
    await d.close();
  });

  it("without a log, updates are memory-only, said in a warning and in readiness", async () => {
    const inner = new MemoryBackend(catalog, policy);
    inner.applySync([entry(raw(1))]);
    const logger = memoryLogger();
    const b = await openDurable(inner, { catalog, logger });
    expect(logger.logged).toContainEqual(
      expect.objectContaining({ level: "warn", data: { updateLog: "none" } }),
    );
    expect(await b.apply([entry(raw(1, 3))])).toMatchObject({ updated: 1 });
    const { details } = await b.readiness();
    expect(details).toMatchObject({ profiles: 1, updateLog: "none" });
    expect(details).not.toHaveProperty("updateLogEntries");
    await b.close();
  });

  it("names UPDATE_LOG_FILE when the log cannot be opened", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 1);
    await expect(openFromFiles(feed, join(dir, "no-such-dir", "log.ndjson"))).rejects.toThrow(
      /^UPDATE_LOG_FILE .*no-such-dir.* cannot be used: ENOENT/,
    );
  });

  it.skipIf(!existsSync("/dev/full"))(
    "refuses the apply, and leaves the engine alone, when the log cannot be written",
    async () => {
      const dir = tempDir();
      const feed = writeFeed(dir, 3);
      // every write to /dev/full fails with ENOSPC, as on a full disk
      const b = await openFromFiles(feed, "/dev/full");
      await expect(b.apply([entry(raw(1, 5))])).rejects.toThrow(/ENOSPC/);
      expect(await nameOf(b, 1)).toBe("Partner 1 v0");
      // a failed write that cannot be cut back off makes the log refuse every later append
      await expect(b.apply([entry(raw(2, 5))])).rejects.toThrow(/unusable/);
      expect(await nameOf(b, 2)).toBe("Partner 2 v0");
      await b.close();
    },
  );
});
