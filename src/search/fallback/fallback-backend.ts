// A last-good copy in front of an engine that can become unreachable (Elasticsearch): a
// decorator that keeps the whole partner set in an embedded MemoryBackend, loaded from the
// engine at start and reloaded every `refreshMs`, and mirrors every apply that succeeds through
// it. When a read fails because the engine could not answer (a retryable SearchUnavailableError:
// unreachable, timed out, overloaded), the copy answers instead and the answer says so: the
// result carries `stale: { asOf }`, per call, so that one request's fallback never marks
// another's answer (no state of the backend says "the last answer was stale").
//
// Writes are never kept in the copy alone: an apply goes to the engine first and fails as
// before when it cannot be written there. A refusal by the engine (a missing index, a 4xx) is
// no outage and is not papered over: it fails as before.
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { type Logger, silentLogger } from "../../lib/logger.js";
import type { FeedEntry, Profile } from "../../partner/schema.js";
import type { DirectoryPlan } from "../../ranking/directory.js";
import {
  type ApplySummary,
  type CandidateQuery,
  type CandidateSet,
  type DirectoryResult,
  type Lookup,
  type Readiness,
  type SearchBackend,
  SearchUnavailableError,
  type Staleness,
} from "../backend.js";
import { MemoryBackend } from "../memory/memory-backend.js";

/** An engine that can hand over everything it holds, in pages, from one consistent point. */
export interface FullCopySource {
  readAll(): AsyncIterable<Profile[]>;
}

export interface FallbackOptions {
  catalog: Catalog;
  policy: MarketPolicy;
  /** How often the copy is reloaded from the engine, in ms. */
  refreshMs: number;
  /** After a failed load, the next attempt; default the smaller of refreshMs and 30 s. */
  retryMs?: number;
  logger?: Logger;
  clock?: () => Date;
}

interface Copy {
  memory: MemoryBackend;
  /** When the load that made it started: it holds at least what the engine held then. */
  asOf: string;
  loadMs: number;
}

/**
 * Wraps `inner` and starts loading the copy in the background (reads go to the engine, and fail
 * as without a copy, until it is there: `start()`'s promise says when); then keeps it fresh.
 */
export function openFallback(
  inner: SearchBackend & FullCopySource,
  opts: FallbackOptions,
): FallbackBackend {
  const backend = new FallbackBackend(inner, opts);
  void backend.start();
  return backend;
}

export class FallbackBackend implements SearchBackend {
  readonly kind: string;
  readonly maxApplyBatch?: number;
  private copy: Copy | undefined;
  /** A load under way, and the applies mirrored since it began (replayed onto its copy). */
  private loading: { done: Promise<boolean>; since: FeedEntry[][] } | undefined;
  private lastLoadError: string | undefined;
  /** For the log only: when the copy began answering for the engine. */
  private degradedSince: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private started: Promise<boolean> | undefined;
  private readonly logger: Logger;
  private readonly clock: () => Date;

  constructor(
    private readonly inner: SearchBackend & FullCopySource,
    private readonly opts: FallbackOptions,
  ) {
    this.kind = inner.kind;
    if (inner.maxApplyBatch !== undefined) this.maxApplyBatch = inner.maxApplyBatch;
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? (() => new Date());
  }

  /**
   * The first load, then reloads on schedule; resolves once the first load is over (true: a
   * copy is there). Never delays the service's start: a slow cluster could hold it for minutes.
   */
  start(): Promise<boolean> {
    this.started ??= this.reload().then((ok) => {
      this.schedule(ok);
      return ok;
    });
    return this.started;
  }

  /** When the copy was taken; undefined until one loaded. */
  get copyAsOf(): string | undefined {
    return this.copy?.asOf;
  }

  /**
   * Loads a new copy from the engine and swaps it in whole; the old one answers until then, and
   * stays when the load fails. One load at a time: a second call joins the first.
   */
  reload(): Promise<boolean> {
    if (this.loading) return this.loading.done;
    const since: FeedEntry[][] = [];
    const done = this.load(since).then(
      () => {
        this.lastLoadError = undefined;
        return true;
      },
      (e: unknown) => {
        this.lastLoadError = e instanceof Error ? e.message : String(e);
        this.logger.warn("last-good copy not reloaded", {
          error: this.lastLoadError,
          keeping: this.copy?.asOf ?? "none",
        });
        return false;
      },
    );
    this.loading = { done, since };
    return done.finally(() => {
      this.loading = undefined;
    });
  }

  /** Reads the engine whole into a new copy and swaps it in. */
  private async load(since: FeedEntry[][]): Promise<void> {
    const asOf = this.clock().toISOString();
    const started = performance.now();
    const memory = new MemoryBackend(this.opts.catalog, this.opts.policy);
    // Built without holding up the requests served meanwhile: the first page is indexed at once
    // (reading `size` builds it: a small index); every later page is only recorded as it
    // arrives (applySync builds nothing until the next read, and nothing reads this copy
    // yet), so the bookkeeping of 100k profiles is spread over the reads; the last page goes
    // through apply(), which then rebuilds the index in the background, in slices.
    let last: FeedEntry[] | undefined;
    let loaded = 0;
    for await (const page of this.inner.readAll()) {
      const entries = page.map((profile): FeedEntry => ({ kind: "upsert", profile }));
      if (loaded === 0) {
        memory.applySync(entries);
        void memory.size;
      } else {
        if (last) memory.applySync(last);
        last = entries;
      }
      loaded += entries.length;
    }
    if (loaded === 0) {
      this.logger.warn("last-good copy not replaced: the engine holds no profile", {
        keeping: this.copy?.asOf ?? "none",
      });
      return;
    }
    if (last) await memory.apply(last);
    await memory.settled();
    // What went through apply() while the engine was read (newest version wins: what the read
    // already saw is stale here), up to the last one: from the swap on, apply() mirrors into
    // this copy itself. No await between the end of this loop and the swap.
    for (let i = 0; i < since.length; i++) await memory.apply(since[i] as FeedEntry[]);
    const loadMs = Math.round(performance.now() - started);
    this.copy = { memory, asOf, loadMs };
    this.logger.info("last-good copy loaded", { asOf, profiles: memory.size, ms: loadMs });
  }

  private schedule(lastOk: boolean): void {
    if (this.closed) return;
    const retryMs = this.opts.retryMs ?? Math.min(this.opts.refreshMs, 30_000);
    this.timer = setTimeout(
      () => {
        void this.reload().then((ok) => this.schedule(ok));
      },
      lastOk ? this.opts.refreshMs : retryMs,
    );
    // Never the reason a process stays up (Node; absent on Workers).
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Writes go to the engine; only what it took is mirrored into the copy. */
  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    const summary = await this.inner.apply(entries);
    this.loading?.since.push([...entries]);
    // Not awaited: a large batch makes the copy rebuild its index in the background, which
    // must not hold up the push; the copy sees it in the order pushes were acknowledged.
    this.copy?.memory.apply(entries).catch((e: unknown) => {
      this.logger.warn("last-good copy missed an update until its next reload", {
        error: e instanceof Error ? e.message : String(e),
      });
    });
    return summary;
  }

  async directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    return this.read(
      () => this.inner.directory(plan),
      async (copy, stale) => ({ ...(await copy.directory(plan)), stale }),
    );
  }

  async candidates(query: CandidateQuery): Promise<CandidateSet> {
    return this.read(
      () => this.inner.candidates(query),
      async (copy, stale) => ({ ...(await copy.candidates(query)), stale }),
    );
  }

  async lookup(id: string): Promise<Lookup> {
    return this.read(
      async () => ({ profile: await this.inner.get(id) }),
      async (copy, stale) => ({ profile: await copy.get(id), stale }),
    );
  }

  async get(id: string): Promise<Profile | undefined> {
    return (await this.lookup(id)).profile;
  }

  /** The engine's answer, or the copy's when the engine could not answer and a copy is there. */
  private async read<T>(
    live: () => Promise<T>,
    fromCopy: (copy: MemoryBackend, stale: Staleness) => Promise<T>,
  ): Promise<T> {
    let answer: T;
    try {
      answer = await live();
    } catch (e) {
      const copy = this.copy;
      if (!(e instanceof SearchUnavailableError && e.retryable) || !copy) throw e;
      if (!this.degradedSince) {
        this.degradedSince = this.clock().toISOString();
        this.logger.warn("search engine unavailable: serving the last-good copy", {
          asOf: copy.asOf,
          error: e.message,
        });
      }
      return fromCopy(copy.memory, { asOf: copy.asOf });
    }
    if (this.degradedSince) {
      this.logger.info("search engine answers again", { degradedSince: this.degradedSince });
      this.degradedSince = undefined;
    }
    return answer;
  }

  /**
   * The engine's readiness; when it is not ready but a copy is there, ready but degraded: the
   * copy answers every read, so a load balancer should keep sending requests here.
   */
  async readiness(): Promise<Readiness> {
    const r = await this.inner.readiness();
    const copy = this.copy;
    const fallback = copy
      ? { asOf: copy.asOf, profiles: copy.memory.size, loadMs: copy.loadMs }
      : { asOf: null, ...(this.lastLoadError ? { error: this.lastLoadError } : {}) };
    const details = { ...r.details, fallback };
    if (r.ready || !copy) return { ...r, details };
    return {
      ready: true,
      backend: r.backend,
      degraded: `serving the last-good copy from ${copy.asOf}`,
      details,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    // The client closed first: a load under way then fails at once instead of running on.
    await this.inner.close?.();
    await this.loading?.done;
  }
}
