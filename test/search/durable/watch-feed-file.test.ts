// The partners-file watch: an operator's job renames a new feed over PARTNERS_FILE; the change
// is served within a couple of seconds, applied whole in one call, a bad line is reported with
// its number and the rest still applies; unchanged lines count stale.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FeedEntry } from "../../../src/partner/schema.js";
import type { ApplySummary } from "../../../src/search/backend.js";
import { watchFeedFile } from "../../../src/search/durable/watch-feed-file.js";
import { catalog } from "../../helpers.js";
import { memoryLogger, raw, tempDir, writeFeed } from "./helpers.js";

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
