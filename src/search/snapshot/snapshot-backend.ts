// The embedded backend as the edge runs it: a MemoryBackend filled from a prebuilt snapshot,
// loaded lazily on first use and then kept for the life of the isolate. Loading at first use,
// not at import, keeps the Worker's global scope (which must start in well under a second) free
// of reading the ~17 MB file. A binary snapshot (index-file.ts) brings its index built; the
// older gzipped NDJSON snapshot (format.ts) is still read, and indexed here.
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
import type { BuiltIndex } from "../memory/built-index.js";
import { MemoryBackend } from "../memory/memory-backend.js";
import { decodeSnapshot, SnapshotError } from "./format.js";
import { decodeIndexFile, isIndexFile } from "./index-file.js";

export interface SnapshotBackendOptions {
  /**
   * The snapshot (binary, or NDJSON gzipped or plain): its bytes (the Worker's bundled Data
   * module, an ArrayBuffer it holds from startup), or a Response to read them from (e.g. the
   * Workers ASSETS binding's, whose body costs CPU in proportion to its size to read).
   */
  fetchSnapshot: () => Promise<Response | ArrayBuffer>;
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
  /** partner-index (binary, index built) or partner-snapshot (NDJSON, indexed at load). */
  format: string;
  catalogMatched: boolean;
  /** False when a binary snapshot was built under another market policy (and re-indexed). */
  policyMatched: boolean;
  /** Bytes as fetched (compressed when the asset is gzipped). */
  bytes: number;
  /**
   * Wall time per phase: to the response headers (or the bytes), reading the body (0 for
   * bytes), decoding it (checksum and the shape for a binary snapshot, of which `checksumMs`;
   * inflate + parse for NDJSON), and building the index (only when not stored, or stored under
   * another catalog or policy). On deployed Workers the clock only advances across I/O, so
   * there these understate CPU work; locally (wrangler dev, tests, bench) they are real.
   */
  fetchMs: number;
  readMs: number;
  decodeMs: number;
  checksumMs: number;
  indexMs: number;
}

/** Either format decoded: a stored index, or profiles to index. */
type Decoded = {
  header: { source: string; builtAt: string; dataVersion: string; format: string };
  rejects: { line: number }[];
  catalogMatched: boolean;
  policyMatched: boolean;
  checksumMs: number;
  /** Absent: index `profiles`. */
  index?: BuiltIndex;
  profiles: Profile[];
};

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
    let res: Response | ArrayBuffer;
    try {
      res = await this.opts.fetchSnapshot();
    } catch (e) {
      throw new SearchUnavailableError(
        `partner snapshot ${location} could not be fetched: ${(e as Error).message}`,
        true,
        { cause: e },
      );
    }
    if (!(res instanceof ArrayBuffer) && (!res.ok || !res.body)) {
      await res.body?.cancel();
      throw new SearchUnavailableError(
        `partner snapshot ${location} answered ${res.status}; build and deploy it with npm run build:snapshot`,
        res.status >= 500,
      );
    }
    const t1 = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(res instanceof ArrayBuffer ? res : await res.arrayBuffer());
    } catch (e) {
      throw new SearchUnavailableError(
        `partner snapshot ${location} could not be read: ${(e as Error).message}`,
        true,
        { cause: e },
      );
    }
    const t2 = performance.now();
    let decoded: Decoded;
    try {
      decoded = await this.decode(bytes);
    } catch (e) {
      const reason = e instanceof SnapshotError ? e.message : `unreadable: ${(e as Error).message}`;
      throw new SearchUnavailableError(`partner snapshot ${location}: ${reason}`, false, {
        cause: e,
      });
    }
    const t3 = performance.now();
    let memory: MemoryBackend;
    if (decoded.index) {
      memory = MemoryBackend.fromIndex(decoded.index, catalog, policy);
    } else {
      memory = new MemoryBackend(catalog, policy);
      memory.applySync(decoded.profiles.map((profile) => ({ kind: "upsert" as const, profile })));
      // Build the index now so the first query is not also the one paying for it.
      await memory.readiness();
    }
    const t4 = performance.now();
    const stats: SnapshotLoadStats = {
      location,
      source: decoded.header.source,
      builtAt: decoded.header.builtAt,
      dataVersion: decoded.header.dataVersion,
      profiles: memory.size,
      rejected: new Set(decoded.rejects.map((r) => r.line)).size,
      format: decoded.header.format,
      catalogMatched: decoded.catalogMatched,
      policyMatched: decoded.policyMatched,
      bytes: bytes.byteLength,
      fetchMs: round(t1 - t0),
      readMs: round(t2 - t1),
      decodeMs: round(t3 - t2),
      checksumMs: round(decoded.checksumMs),
      indexMs: round(t4 - t3),
    };
    if (!decoded.catalogMatched || !decoded.policyMatched) {
      this.logger.warn(
        decoded.catalogMatched
          ? "snapshot built with another market policy; profiles were re-indexed"
          : "snapshot built with another catalog; profiles were re-validated",
        { rejected: stats.rejected, firstRejects: decoded.rejects.slice(0, 5) },
      );
    }
    this.logger.info("snapshot loaded", { ...stats });
    return { memory, stats };
  }

  /** Either format, told apart by the binary one's magic bytes. */
  private async decode(bytes: Uint8Array): Promise<Decoded> {
    const { catalog, policy } = this.opts;
    if (isIndexFile(bytes)) {
      const d = decodeIndexFile(bytes, { catalog, policy });
      return { ...d, profiles: d.profiles ?? [] };
    }
    const d = await decodeSnapshot(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), catalog);
    return { ...d, policyMatched: true, checksumMs: 0 };
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
