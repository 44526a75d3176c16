// The one interface every search engine implements (embedded memory index, Elasticsearch).
// Ranking code builds plans; a backend evaluates them and returns profiles.
import type { FeedEntry, Profile } from "../partner/schema.js";
import type { DirectoryPlan, FilterField } from "../ranking/directory.js";

export interface DirectoryHit {
  profile: Profile;
  /** The backend's relevance score (text + boosts); informational. */
  score: number;
}

export interface DirectoryResult {
  total: number;
  hits: DirectoryHit[];
  /** Disjunctive counts: a field's own selection does not narrow that field's counts. */
  facets: Partial<Record<FilterField, Record<string, number>>>;
}

/**
 * Coarse pre-filter for the partner finder; ranking/ applies every hard rule again, so each
 * optional pre-filter only has to keep a superset of the partners the rules accept. A backend
 * may ignore one (it then returns more profiles, never a different ranking).
 */
export interface CandidateQuery {
  /** Partners located in or serving this country. */
  country: string;
  /** When given, at least one shared language. */
  languages?: readonly string[];
  /** Only partners accepting referrals with a free slot (openReferrals < maxOpenReferrals). */
  withCapacity?: boolean;
  /** Only partners holding one of `accreditationsAny`, or meeting `qualified` when given. */
  eligibleIf?: EligibleIf;
}

export interface EligibleIf {
  accreditationsAny: readonly string[];
  /**
   * Or: one of these tiers (absent: any tier) and retention at least `minRetention`. Absent:
   * accredited partners only.
   */
  qualified?: { tiersAny?: readonly string[]; minRetention: number };
}

export interface CandidateSet {
  /** The market's partners that pass the pre-filters, in id order. */
  profiles: Profile[];
  /** Partners in the market (country, languages) before the optional pre-filters. */
  marketSize: number;
}

export interface ApplySummary {
  indexed: number;
  updated: number;
  deleted: number;
  /** Older than the version already held: skipped, not an error. */
  stale: number;
}

export interface Readiness {
  ready: boolean;
  backend: string;
  details: Record<string, unknown>;
}

export interface SearchBackend {
  readonly kind: string;
  /** Upserts and deletes; an entry older than what is held is counted stale and skipped. */
  apply(entries: readonly FeedEntry[]): Promise<ApplySummary>;
  directory(plan: DirectoryPlan): Promise<DirectoryResult>;
  /** A listed or unlisted profile by id (callers decide what to expose). */
  get(id: string): Promise<Profile | undefined>;
  candidates(query: CandidateQuery): Promise<CandidateSet>;
  readiness(): Promise<Readiness>;
  close?(): Promise<void>;
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
