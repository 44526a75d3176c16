// Whether what a search behind the alias sees may have changed, told from the node's index
// statistics, so that directory answers can be kept between changes as on the embedded engine.
// Anyone may write to the index (the indexer, another instance, a push to another process), so
// this process cannot count the changes itself: it reads, at most once every `maxAgeMs`, the
// concrete indices behind the alias with their uuids and three counters of all shard copies:
// - `refresh.external_total` moves when a refresh makes writes visible to searches (an idle
//   scheduled refresh does not move it);
// - `indexing.index_total` and `indexing.delete_total` move as soon as a write lands, before
//   it is visible. A shard no search has reached for a while goes search-idle and skips its
//   scheduled refreshes until the next search; were the answers then served from the cache
//   alone, no search would come and nothing would ever be refreshed. The write counters let
//   the next request search again, and that search refreshes the idle shard first.
// Any change of that fingerprint (a write, a refresh, an alias moved by a full reindex, a node
// restart resetting the counters) is a new generation. An answer kept under a generation was
// computed after that generation was read, so it is never older than the data the fingerprint
// stood for; a change is noticed within `maxAgeMs` of the statistics showing it.
import type { Client } from "@elastic/elasticsearch";

export interface ChangeCheckOptions {
  /** How long a read fingerprint stands before the next request reads it again. */
  maxAgeMs: number;
  /**
   * How long a request waits for the statistics (default 200 ms): past that it searches as
   * without a cache, so a slow node delays an answer by this much at most. The call itself may
   * go on (up to `timeoutMs`) and serves the requests after it.
   */
  waitMs?: number;
  /** The statistics call's own limit (default 1 s). */
  timeoutMs?: number;
}

export class IndexGeneration {
  private generation = 0;
  private fingerprint: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<number | undefined> | undefined;

  constructor(
    private readonly client: Client,
    private readonly alias: string,
    private readonly opts: ChangeCheckOptions,
  ) {}

  /**
   * The current generation; undefined while the statistics cannot be read (nothing is then
   * served from or kept in a cache). Concurrent callers share one statistics call.
   */
  current(): Promise<number | undefined> | number | undefined {
    if (this.fingerprint !== undefined && Date.now() - this.checkedAt < this.opts.maxAgeMs) {
      return this.generation;
    }
    this.pending ??= this.read().finally(() => {
      this.pending = undefined;
    });
    return within(this.pending, this.opts.waitMs ?? 200);
  }

  /** A write by this process, already refreshed: its own next answers must show it at once. */
  changed(): void {
    this.generation++;
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async read(): Promise<number | undefined> {
    const started = Date.now();
    try {
      const res = await this.client.indices.stats(
        {
          index: this.alias,
          metric: ["indexing", "refresh"],
          filter_path: [
            "indices.*.uuid",
            "indices.*.total.indexing.index_total",
            "indices.*.total.indexing.delete_total",
            "indices.*.total.refresh.external_total",
          ],
        },
        { requestTimeout: this.opts.timeoutMs ?? 1_000, maxRetries: 0 },
      );
      const indices = Object.entries(res.indices ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      const fingerprint = JSON.stringify(
        indices.map(([name, s]) => [
          name,
          s.uuid,
          s.total?.indexing?.index_total,
          s.total?.indexing?.delete_total,
          s.total?.refresh?.external_total,
        ]),
      );
      if (fingerprint !== this.fingerprint) {
        this.fingerprint = fingerprint;
        this.generation++;
      }
      this.checkedAt = started;
      return this.generation;
    } catch {
      // Unknown: the request searches (and fails or succeeds) as without a cache.
      this.fingerprint = undefined;
      return undefined;
    }
  }
}

/** `promise`'s value, or undefined when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
