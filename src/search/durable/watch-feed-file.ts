// Node-only: picks up a new version of the feed file (PARTNERS_FILE) that an operator's job
// drops on disk, usually by writing a temporary file and renaming it over. fs.watchFile polls
// the path's stat, so it follows a rename-over (a new inode) where fs.watch on the old inode
// would go quiet. After a quiet spell the whole file is parsed and applied in one call, so
// readers see the old set or the new one, never half a file.
import { type Stats, unwatchFile, watchFile } from "node:fs";
import type { Catalog } from "../../catalog/catalog.js";
import type { Logger } from "../../lib/logger.js";
import { readFeedFile } from "../../partner/read-feed-file.js";
import type { FeedEntry } from "../../partner/schema.js";
import type { ApplySummary } from "../backend.js";

export interface WatchTiming {
  /** How often the file's stat is polled (ms). */
  intervalMs?: number;
  /** How long the file must stay unchanged before it is read (ms). */
  debounceMs?: number;
}

export interface FeedWatchOptions extends WatchTiming {
  file: string;
  catalog: Catalog;
  logger: Logger;
  /** Applies one version of the file, whole, in one call. */
  apply(entries: readonly FeedEntry[]): Promise<ApplySummary>;
}

export interface FeedWatcher {
  /** Stops polling and waits for a reload in flight. */
  stop(): Promise<void>;
}

export function watchFeedFile(opts: FeedWatchOptions): FeedWatcher {
  const { file, logger } = opts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const reload = async () => {
    const started = performance.now();
    try {
      const feed = await readFeedFile(file, opts.catalog);
      for (const r of feed.rejects.slice(0, 20)) {
        logger.warn("partners file line rejected", { file, ...r });
      }
      const summary = await opts.apply(feed.entries);
      // Lines whose version is already held (most of an unchanged feed) count as stale.
      logger.info("partners file reloaded", {
        file,
        lines: feed.lines,
        ...summary,
        rejected: feed.rejects.length,
        ms: Math.round(performance.now() - started),
      });
    } catch (e) {
      logger.error("partners file not reloaded", {
        file,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  };

  const run = () => {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = reload().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };

  const onChange = (curr: Stats, prev: Stats) => {
    if (stopped) return;
    if (curr.ino === 0 && curr.mtimeMs === 0) {
      // Between an unlink and the new file's rename, or gone for good: keep what is loaded.
      logger.warn("partners file missing; the data loaded stays", { file });
      return;
    }
    if (curr.ino === prev.ino && curr.mtimeMs === prev.mtimeMs && curr.size === prev.size) return;
    clearTimeout(timer);
    timer = setTimeout(run, opts.debounceMs ?? 500);
  };

  watchFile(file, { interval: opts.intervalMs ?? 1_000, persistent: false }, onChange);
  logger.info("watching the partners file", { file });
  return {
    stop: async () => {
      stopped = true;
      unwatchFile(file, onChange);
      clearTimeout(timer);
      await running;
    },
  };
}
