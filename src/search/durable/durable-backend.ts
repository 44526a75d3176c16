// Node-only: makes the embedded engine's updates durable. A decorator around any SearchBackend
// whose apply() first appends the entries to the update log and fsyncs it, then applies them,
// and only then resolves: what a caller saw acknowledged survives a restart or a kill -9. At
// start the log is replayed over the feed already loaded (newest updatedAt wins, so replaying
// twice changes nothing). Optionally it also watches the feed file and applies a new version.
import type { Catalog } from "../../catalog/catalog.js";
import type { Logger } from "../../lib/logger.js";
import type { FeedEntry, Profile } from "../../partner/schema.js";
import type { DirectoryPlan } from "../../ranking/directory.js";
import type {
  ApplySummary,
  CandidateQuery,
  CandidateSet,
  DirectoryResult,
  Readiness,
  SearchBackend,
} from "../backend.js";
import { type CompactAt, openUpdateLog, type UpdateLog } from "./update-log.js";
import { type FeedWatcher, type WatchTiming, watchFeedFile } from "./watch-feed-file.js";

export interface DurableOptions {
  catalog: Catalog;
  logger: Logger;
  /** The update log; absent, updates live in memory only (a warning and readiness say so). */
  logFile?: string | undefined;
  /** Compact the log at start once it holds more than this. */
  compactAt?: CompactAt;
  /** Watch this feed file (PARTNERS_FILE) and apply each new version of it. */
  watch?: ({ file: string } & WatchTiming) | undefined;
  /**
   * Called after each new version of the watched file is applied: a whole feed's worth of
   * garbage, which node.ts collects as it does the start-up load's (lib/release-memory.ts).
   */
  afterReload?: (() => void) | undefined;
  /**
   * Called after each logged apply (an admin push, say) with its number of entries: node.ts
   * collects once a push's worth has come (lib/release-memory.ts).
   */
  afterApply?: ((entries: number) => void) | undefined;
}

/** Opens the log, replays it into `inner` (already loaded with the feed), starts the watcher. */
export async function openDurable(
  inner: SearchBackend,
  opts: DurableOptions,
): Promise<DurableBackend> {
  const { logger } = opts;
  let log: UpdateLog | undefined;
  if (opts.logFile === undefined) {
    logger.warn("updates are kept in memory only and lost on restart: no UPDATE_LOG_FILE", {
      updateLog: "none",
    });
  } else {
    const started = performance.now();
    const file = opts.logFile;
    const opened = await openUpdateLog(file, {
      catalog: opts.catalog,
      logger,
      ...(opts.compactAt ? { compactAt: opts.compactAt } : {}),
    }).catch((e: unknown) => {
      // Say which setting to fix (a read-only directory beside PARTNERS_FILE, say).
      const reason = e instanceof Error ? e.message : String(e);
      throw new Error(`UPDATE_LOG_FILE ${file} cannot be used: ${reason}`, { cause: e });
    });
    log = opened.log;
    const { contents } = opened;
    const summary = contents.entries.length > 0 ? await inner.apply(contents.entries) : undefined;
    logger.info("update log replayed", {
      file,
      lines: contents.held,
      entries: contents.entries.length,
      ...summary,
      rejected: contents.rejects.length,
      torn: contents.torn ? 1 : 0,
      ms: Math.round(performance.now() - started),
    });
  }
  const backend = new DurableBackend(inner, log, opts.afterApply);
  if (opts.watch) {
    const { file, ...timing } = opts.watch;
    backend.watch(
      watchFeedFile({
        file,
        catalog: opts.catalog,
        logger,
        // The file on disk is itself what a restart loads: no need to log it again.
        apply: async (entries) => {
          const summary = await backend.applyUnlogged(entries);
          opts.afterReload?.();
          return summary;
        },
        ...timing,
      }),
    );
  }
  return backend;
}

export class DurableBackend implements SearchBackend {
  readonly kind: string;
  /** Applies reach the engine one after another, in the order their lines were logged. */
  private applied: Promise<unknown> = Promise.resolve();
  private watcher: FeedWatcher | undefined;

  constructor(
    private readonly inner: SearchBackend,
    private readonly log: UpdateLog | undefined,
    private readonly afterApply?: (entries: number) => void,
  ) {
    this.kind = inner.kind;
  }

  /** Logged and fsynced first, then applied; resolves after both. */
  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    const summary = await this.logAndApply(entries);
    if (entries.length > 0) this.afterApply?.(entries.length);
    return summary;
  }

  private logAndApply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    const log = this.log;
    if (!log || entries.length === 0) return this.inOrder(() => this.inner.apply(entries));
    const logged = log.append(entries);
    // Handled here too, so a failed write never counts as an unhandled rejection while the
    // apply waits for its turn.
    logged.catch(() => {});
    return this.inOrder(async () => {
      await logged;
      return this.inner.apply(entries);
    });
  }

  /** Applies entries that are durable elsewhere (the watched feed file) without logging them. */
  applyUnlogged(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    return this.inOrder(() => this.inner.apply(entries));
  }

  private inOrder<T>(run: () => Promise<T>): Promise<T> {
    const result = this.applied.then(run);
    this.applied = result.catch(() => {});
    return result;
  }

  watch(watcher: FeedWatcher): void {
    this.watcher = watcher;
  }

  get maxApplyBatch(): number | undefined {
    return this.inner.maxApplyBatch;
  }

  /** The engine's, so answers cached per generation stay valid behind the log. */
  get generation(): number | undefined {
    return this.inner.generation;
  }

  directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    return this.inner.directory(plan);
  }

  candidates(query: CandidateQuery): Promise<CandidateSet> {
    return this.inner.candidates(query);
  }

  get(id: string): Promise<Profile | undefined> {
    return this.inner.get(id);
  }

  /** The engine's readiness, plus where updates are persisted. */
  async readiness(): Promise<Readiness> {
    const r = await this.inner.readiness();
    const details: Record<string, unknown> = {
      ...r.details,
      updateLog: this.log?.path ?? "none",
    };
    if (this.log) details.updateLogEntries = this.log.lines;
    if (this.watcher) details.watchingPartnersFile = true;
    return { ...r, details };
  }

  /** Stops the watcher, waits for the applies in flight, closes the log and the engine. */
  async close(): Promise<void> {
    await this.watcher?.stop();
    await this.applied;
    await this.log?.close();
    await this.inner.close?.();
  }
}
