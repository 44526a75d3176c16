// The embedded backend as the edge runs it: a MemoryBackend filled from a prebuilt snapshot,
// loaded lazily on first use and then kept for the life of the isolate. Loading at first use,
// not at import, keeps the Worker's global scope (which must start in well under a second) free
// of the ~15 MB JSON parse and the index build.
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
  type Readiness,
  type SearchBackend,
  SearchUnavailableError,
} from "../backend.js";
import { MemoryBackend } from "../memory/memory-backend.js";
import { type DecodedSnapshot, decodeSnapshot, SnapshotError } from "./format.js";

export interface SnapshotBackendOptions {
  /** Fetches the snapshot bytes (gzipped or plain JSON), e.g. from the Workers ASSETS binding. */
  fetchSnapshot: () => Promise<Response>;
  /** Names the snapshot in errors and logs. */
  location: string;
  catalog: Catalog;
  policy: MarketPolicy;
  logger?: Logger;
}

export interface SnapshotLoadStats {
  location: string;
  source: string;
  builtAt: string;
  /** The data's version (the snapshot header's `dataVersion`). */
  dataVersion: string;
  profiles: number;
  rejected: number;
  catalogMatched: boolean;
  /** Bytes as fetched (compressed when the asset is gzipped). */
  bytes: number;
  /**
   * Wall time per phase: to the response headers, streaming read + inflate + parse, index
   * build. On deployed Workers the clock only advances across I/O, so there these understate
   * CPU work; locally (wrangler dev, tests, bench) they are real.
   */
  fetchMs: number;
  decodeMs: number;
  indexMs: number;
}

interface Loaded {
  memory: MemoryBackend;
  stats: SnapshotLoadStats;
}

export class SnapshotBackend implements SearchBackend {
  readonly kind = "snapshot";
  private loading: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;
  private readonly logger: Logger;

  constructor(private readonly opts: SnapshotBackendOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** The loaded index's generation; undefined before the first query. */
  get generation(): number | undefined {
    return this.loaded?.memory.generation;
  }

  /** Load stats once loaded; undefined before the first query. */
  get stats(): SnapshotLoadStats | undefined {
    return this.loaded?.stats;
  }

  /** Loads once; concurrent first requests share one load, a failed load is retried next time. */
  load(): Promise<Loaded> {
    if (this.loaded) return Promise.resolve(this.loaded);
    this.loading ??= this.loadOnce().then(
      (l) => {
        this.loaded = l;
        return l;
      },
      (e: unknown) => {
        this.loading = undefined;
        throw e;
      },
    );
    return this.loading;
  }

  private async loadOnce(): Promise<Loaded> {
    const { location, catalog, policy } = this.opts;
    const t0 = performance.now();
    let res: Response;
    try {
      res = await this.opts.fetchSnapshot();
    } catch (e) {
      throw new SearchUnavailableError(
        `partner snapshot ${location} could not be fetched: ${(e as Error).message}`,
        true,
        { cause: e },
      );
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new SearchUnavailableError(
        `partner snapshot ${location} answered ${res.status}; build and deploy it with npm run build:snapshot`,
        res.status >= 500,
      );
    }
    const t1 = performance.now();
    let decoded: DecodedSnapshot;
    try {
      decoded = await decodeSnapshot(res.body, catalog);
    } catch (e) {
      const reason = e instanceof SnapshotError ? e.message : `unreadable: ${(e as Error).message}`;
      throw new SearchUnavailableError(`partner snapshot ${location}: ${reason}`, false, {
        cause: e,
      });
    }
    const t2 = performance.now();
    const memory = new MemoryBackend(catalog, policy);
    memory.applySync(decoded.profiles.map((profile) => ({ kind: "upsert" as const, profile })));
    // Build the index now so the first query is not also the one paying for it.
    await memory.readiness();
    const t3 = performance.now();
    const stats: SnapshotLoadStats = {
      location,
      source: decoded.header.source,
      builtAt: decoded.header.builtAt,
      dataVersion: decoded.header.dataVersion,
      profiles: memory.size,
      rejected: new Set(decoded.rejects.map((r) => r.line)).size,
      catalogMatched: decoded.catalogMatched,
      bytes: decoded.bytes,
      fetchMs: round(t1 - t0),
      decodeMs: round(t2 - t1),
      indexMs: round(t3 - t2),
    };
    if (!decoded.catalogMatched) {
      this.logger.warn("snapshot built with another catalog; profiles were re-validated", {
        rejected: stats.rejected,
        firstRejects: decoded.rejects.slice(0, 5),
      });
    }
    this.logger.info("snapshot loaded", { ...stats });
    return { memory, stats };
  }

  async directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    return (await this.load()).memory.directorySync(plan);
  }

  async get(id: string): Promise<Profile | undefined> {
    return (await this.load()).memory.get(id);
  }

  async candidates(query: CandidateQuery): Promise<CandidateSet> {
    return (await this.load()).memory.candidateSetSync(query);
  }

  /** Changes this isolate's copy only; the edge is refreshed by deploying a new snapshot. */
  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    return (await this.load()).memory.applySync(entries);
  }

  async readiness(): Promise<Readiness> {
    try {
      const { memory, stats } = await this.load();
      return { ready: memory.size > 0, backend: this.kind, details: { ...stats } };
    } catch (e) {
      return {
        ready: false,
        backend: this.kind,
        details: { location: this.opts.location, error: (e as Error).message },
      };
    }
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
