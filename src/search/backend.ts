// The one interface every search engine implements (embedded memory index, Elasticsearch).
// Ranking code builds plans; a backend evaluates them and returns profiles.
import type { FeedEntry, ProfileWithoutInternal } from "../partner/schema.js";
import type { CandidateSource, Staleness } from "../ranking/candidates.js";
import type { DirectoryPlan, FilterField } from "../ranking/directory.js";

export type {
  CandidateQuery,
  CandidateSet,
  EligibleIf,
  Lookup,
  RetrievalPlan,
  Staleness,
} from "../ranking/candidates.js";
export { lookUp } from "../ranking/candidates.js";

export interface DirectoryHit {
  /** Without `internal`: no directory code can read it by mistake. */
  profile: ProfileWithoutInternal;
  /** The backend's relevance score (text + boosts); informational. */
  score: number;
}

export interface DirectoryResult {
  total: number;
  hits: DirectoryHit[];
  /** Disjunctive counts: a field's own selection does not narrow that field's counts. */
  facets: Partial<Record<FilterField, Record<string, number>>>;
  /** Present when answered from a last-good copy because the engine could not answer. */
  stale?: Staleness;
  /** Present when no partner matched every word: the words the search left out. */
  relaxed?: { dropped: string[] };
}

export interface ApplySummary {
  indexed: number;
  updated: number;
  deleted: number;
  /** Older than the version already held: skipped, not an error. */
  stale: number;
}

/** Adds `s` into `into` (an apply made of several calls reports one summary). */
export function addSummary(into: ApplySummary, s: ApplySummary): ApplySummary {
  into.indexed += s.indexed;
  into.updated += s.updated;
  into.deleted += s.deleted;
  into.stale += s.stale;
  return into;
}

export interface Readiness {
  ready: boolean;
  /**
   * Ready, but answering from a fallback (a last-good copy while the engine is unreachable):
   * what is degraded and since when, for people.
   */
  degraded?: string;
  backend: string;
  details: Record<string, unknown>;
}

export interface SearchBackend extends CandidateSource {
  readonly kind: string;
  /** Upserts and deletes; an entry older than what is held is counted stale and skipped. */
  apply(entries: readonly FeedEntry[]): Promise<ApplySummary>;
  directory(plan: DirectoryPlan): Promise<DirectoryResult>;
  readiness(): Promise<Readiness>;
  /**
   * Increases whenever what queries see changes. Absent where the data changes outside this
   * process (Elasticsearch): there `changeGeneration` asks the engine, or nothing is cached.
   */
  readonly generation?: number | undefined;
  /**
   * Where the data changes outside this process: the generation as last found out from the
   * engine (at most a configured age old); undefined while it cannot be told.
   */
  changeGeneration?(): number | undefined | Promise<number | undefined>;
  /**
   * The most entries one apply call should carry (one bulk request on Elasticsearch). Absent:
   * any number, and one call is applied whole, so a push is seen entirely or not at all.
   */
  readonly maxApplyBatch?: number;
  close?(): Promise<void>;
}

/** The generation answers may be kept under: the engine's where it has one, else the backend's. */
export function generationOf(b: SearchBackend): number | undefined | Promise<number | undefined> {
  return b.changeGeneration ? b.changeGeneration() : b.generation;
}

/** An engine failure: the engine answered with an error or never answered. */
export class SearchUnavailableError extends Error {
  override name = "SearchUnavailableError";
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
