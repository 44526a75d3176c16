// The partners-file watch: an operator's job renames a new feed over PARTNERS_FILE; the change
// is served within a couple of seconds, applied whole in one call, a bad line is reported with
// its number and the rest still applies; unchanged lines count stale.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FeedEntry } from "../../../src/partner/schema.js";
import type { ApplySummary } from "../../../src/search/backend.js";
import { watchFeedFile } from "../../../src/search/durable/watch-feed-file.js";
import { catalog } from "../../helpers.js";
import { idOf, memoryLogger, openFromFiles, raw, tempDir, writeFeed } from "./helpers.js";

const fast = { intervalMs: 50, debounceMs: 100 };

async function until<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 3_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Writes the lines to a temporary file beside `path` and renames it over, as a cron job does. */
function replaceByRename(path: string, lines: string[]) {
  const temp = `${path}.new`;
  writeFileSync(temp, `${lines.join("\n")}\n`);
  renameSync(temp, path);
}

describe("watching the partners file", () => {
  it("serves a feed renamed over the file within seconds; a bad line is reported, the rest applies", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 5);
    const logger = memoryLogger();
    const b = await openFromFiles(feed, join(dir, "log.ndjson"), { logger, watch: fast });
    expect((await b.readiness()).details).toMatchObject({ watchingPartnersFile: true });
    const started = Date.now();
    replaceByRename(feed, [
      JSON.stringify(raw(1, 60)),
      JSON.stringify(raw(2)),
      '{"id":"p-000003","name":',
      JSON.stringify(raw(4)),
      JSON.stringify(raw(5, 0, { tier: "unobtainium" })),
      JSON.stringify(raw(6, 60)),
    ]);
    const name = await until(
      async () => (await b.get(idOf(1)))?.name,
      (n) => n === "Partner 1 v60",
    );
    expect(name).toBe("Partner 1 v60");
    expect(Date.now() - started).toBeLessThan(2_500);
    expect((await b.get(idOf(6)))?.name).toBe("Partner 6 v60");
    expect((await b.get(idOf(3)))?.name).toBe("Partner 3 v0");
    const reloaded = await until(
      () => logger.logged.find((l) => l.msg === "partners file reloaded"),
      (l) => l !== undefined,
    );
    expect(reloaded?.data).toMatchObject({
      lines: 6,
      indexed: 1,
      updated: 1,
      stale: 2,
      rejected: 2,
    });
    const rejected = logger.logged.filter((l) => l.msg === "partners file line rejected");
    expect(rejected.map((l) => l.data.line)).toEqual([3, 5]);
    expect(rejected[1]?.data).toMatchObject({ id: idOf(5), path: "tier" });
    // the file itself is what a restart loads: its entries are not copied into the log
    expect((await b.readiness()).details).toMatchObject({ updateLogEntries: 0 });
    await b.close();

    const restarted = await openFromFiles(feed, join(dir, "log.ndjson"));
    expect((await restarted.get(idOf(1)))?.name).toBe("Partner 1 v60");
    await restarted.close();
  });

  it("calls afterReload once per version applied, when the new version is what queries read", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 3);
    const seen: Promise<string | undefined>[] = [];
    let b: Awaited<ReturnType<typeof openFromFiles>> | undefined;
    b = await openFromFiles(feed, join(dir, "log.ndjson"), {
      watch: fast,
      afterReload: () => seen.push(b?.get(idOf(2)).then((p) => p?.name) ?? Promise.resolve("-")),
    });
    // Once the watcher has taken the file's first state.
    expect((await b.readiness()).details).toMatchObject({ watchingPartnersFile: true });
    await new Promise((r) => setTimeout(r, 100));
    replaceByRename(feed, [JSON.stringify(raw(1)), JSON.stringify(raw(2, 5))]);
    await until(
      () => seen.length,
      (n) => n > 0,
    );
    replaceByRename(feed, [JSON.stringify(raw(2, 9))]);
    await until(
      () => seen.length,
      (n) => n > 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await Promise.all(seen)).toEqual(["Partner 2 v5", "Partner 2 v9"]);
    await b.close();
  });

  it("applies each version of the file in one call, waits out a missing file, stops when told", async () => {
    const dir = tempDir();
    const feed = writeFeed(dir, 3);
    const calls: FeedEntry[][] = [];
    const apply = async (entries: readonly FeedEntry[]): Promise<ApplySummary> => {
      calls.push([...entries]);
      return { indexed: entries.length, updated: 0, deleted: 0, stale: 0 };
    };
    const logger = memoryLogger();
    const watcher = watchFeedFile({ file: feed, catalog, logger, apply, ...fast });
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(raw(i + 1, 1)));
    replaceByRename(feed, lines);
    await until(
      () => calls.length,
      (n) => n > 0,
    );
    expect(calls.map((c) => c.length)).toEqual([200]);

    rmSync(feed);
    const missing = await until(
      () => logger.logged.find((l) => l.msg.startsWith("partners file missing")),
      (l) => l !== undefined,
    );
    expect(missing?.level).toBe("warn");
    replaceByRename(feed, lines.slice(0, 10));
    await until(
      () => calls.length,
      (n) => n > 1,
    );
    expect(calls.map((c) => c.length)).toEqual([200, 10]);

    await watcher.stop();
    replaceByRename(feed, lines.slice(0, 1));
    await new Promise((r) => setTimeout(r, 400));
    expect(calls).toHaveLength(2);
  });
});
