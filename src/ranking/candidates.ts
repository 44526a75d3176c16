// What the partner finder asks of a search engine, stated by the ranking: the pre-filter query
// (a plan each backend translates) and the two reads the finder needs. Declared here, not in
// search/, so the ranking depends on no backend; every SearchBackend is a CandidateSource.
import type { Profile } from "../partner/schema.js";
import type { FitGroup, RecordGroup } from "./match-features.js";

/**
 * Coarse pre-filter for the partner finder; ranking/ applies every hard rule again, so each
 * optional pre-filter only has to keep a superset of the partners the rules accept. A backend
 * may ignore one (it then returns more profiles, never a different ranking).
 */
export interface CandidateQuery {
  /** Partners located in or serving this country (`countriesServed`). */
  country: string;
  /** Partners of one of these program levels (`receivesReferrals`). */
  programLevels: readonly string[];
  /** When given, at least one shared language. */
  languages?: readonly string[];
  /**
   * Languages the ranking requires one of (`shared_language`), counted but not filtered on, so
   * every language variant of a request reads the same profiles (and shares the market block).
   */
  countLanguages?: readonly string[];
  /** Only partners with a free referral slot (`hasCapacity`). */
  withCapacity?: boolean;
  /** Only partners holding one of `accreditationsAny`, or meeting `qualified` when given. */
  eligibleIf?: EligibleIf;
  /**
   * The first-stage score of retrieve-and-rerank (retrieval.ts): a backend that ranks by it may
   * return only the best K partners that meet every hard rule, with `CandidateSet.eligible`.
   */
  retrieval?: RetrievalPlan;
}

/** Where a term of the plan is looked up: a profile's declared codes, or its id. */
export type TermField = FitGroup | "languages" | "accreditations" | "id";

/** The first-stage score of one request: the sum of these parts. */
export interface RetrievalPlan {
  /** `weight` times the indexed feature (0 when absent). */
  features: { name: string; weight: number }[];
  /** `weight` when the partner has one of `codes` in `field`. */
  terms: { field: TermField; codes: string[]; weight: number }[];
  /**
   * `steps[j-1]` more for each j up to the number of `codes` the partner has in `field`: a
   * request-scope similarity, sqrt(matched / requested), is not a sum over codes, but it is one
   * over "at least j matched".
   */
  counted: { field: TermField; codes: string[]; steps: number[] }[];
  /** `weight` times exp(-km / decayKm) to the partner's nearest located office. */
  near?: { lat: number; lon: number; decayKm: number; weight: number };
  /**
   * The one hard-rule condition the pre-filters leave to the ranking (qualified: a track record
   * of `minRecord` customers on a requested product or industry, or on any product when none is
   * requested, and retention exactly, not as a float): applied too, so the top K are eligible
   * and the counts exact. Absent when the market asks no record and no retention.
   */
  qualified?: {
    minRetention: number;
    minRecord: number;
    /** Requested record codes; empty: the total over products (PRODUCT_RECORD). */
    records: { group: RecordGroup; code: string }[];
  };
  /** The languages one of which the ranking requires (filtered on, not only counted). */
  languagesAny: string[];
  /**
   * The page the rerank fills: `limit` places, and `window`, how far below the limit-th score a
   * partner may still rotate into the page (the tie epsilon, plus the engine's rounding).
   */
  page: { limit: number; window: number };
}

export interface EligibleIf {
  accreditationsAny: readonly string[];
  /**
   * Or: one of these tiers (absent: any tier) and retention at least `minRetention`. Absent:
   * accredited partners only.
   */
  qualified?: { tiersAny?: readonly string[]; minRetention: number };
}

/**
 * Set on an answer that came from a last-good copy of the data because the engine itself could
 * not answer (search/fallback/). It travels with each answer, never as state of the backend, so
 * concurrent requests never see each other's.
 */
export interface Staleness {
  /** When the copy answered from was taken (ISO 8601). */
  asOf: string;
}

/**
 * The pre-filters a backend counts, in the order it applies them (the order of the hard rules):
 * each partner of the market that one drops is counted once, under the first one it fails.
 * `shared_language` (from `countLanguages`) is counted without dropping anyone. The names are the hard
 * rules (eligibility.ts HARD_RULES) each pre-filter is implied by; `eligibleIf` without a
 * `qualified` branch exists only because the motion requires an accreditation: `motion`.
 */
export const PREFILTER_CONDITIONS = [
  "shared_language",
  "accepting_referrals",
  "capacity",
  "accredited_or_qualified",
  "motion",
] as const;
export type PrefilterCondition = (typeof PREFILTER_CONDITIONS)[number];

/** The hard rule an `eligibleIf` pre-filter stands for (see PREFILTER_CONDITIONS). */
export function eligibleIfCondition(e: EligibleIf): PrefilterCondition {
  return e.qualified ? "accredited_or_qualified" : "motion";
}

/**
 * Per-condition drops from the sequential counts a backend takes: the market, then the partners
 * left after sharing a language, after accepting referrals, after capacity, and after
 * `eligibleIf` (each only where the query asks for it; every count after `language` includes
 * the language condition). Shared by both backends so they name drops alike.
 */
export function excludedByPrefilters(
  query: CandidateQuery,
  n: {
    market: number;
    language?: number;
    accepting?: number;
    capacity?: number;
    eligible?: number;
    /** After the exact qualified condition too (retrieve-and-rerank): its drops count alike. */
    qualified?: number;
  },
): Partial<Record<PrefilterCondition, number>> {
  const out: Partial<Record<PrefilterCondition, number>> = {};
  let left = n.market;
  if (countsLanguages(query)) {
    const language = n.language ?? left;
    out.shared_language = left - language;
    left = language;
  }
  if (query.withCapacity) {
    const accepting = n.accepting ?? left;
    const capacity = n.capacity ?? accepting;
    out.accepting_referrals = left - accepting;
    out.capacity = accepting - capacity;
    left = capacity;
  }
  if (query.eligibleIf) {
    const eligible = n.eligible ?? left;
    const exact = query.eligibleIf.qualified ? (n.qualified ?? eligible) : eligible;
    out[eligibleIfCondition(query.eligibleIf)] = left - exact;
  }
  return out;
}

export function countsLanguages(query: CandidateQuery): boolean {
  return query.countLanguages !== undefined && query.countLanguages.length > 0;
}

/** Adds drop counts (the memory backend sums its base and its delta). */
export function addExcluded(
  a: Partial<Record<PrefilterCondition, number>>,
  b: Partial<Record<PrefilterCondition, number>>,
): Partial<Record<PrefilterCondition, number>> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b) as [PrefilterCondition, number][]) {
    out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

export interface CandidateSet {
  /** The market's partners that pass the pre-filters, in id order. */
  profiles: Profile[];
  /** Partners in the market (country, languages) before the optional pre-filters. */
  marketSize: number;
  /**
   * Market partners each pre-filter dropped (PREFILTER_CONDITIONS order, first failed only),
   * so the finder can say why a list is short: `marketSize` minus these is `profiles.length`.
   */
  excludedBy: Partial<Record<PrefilterCondition, number>>;
  /**
   * Set when the backend applied every hard rule and returned only the best `profiles` by the
   * query's `retrieval` score: how many partners are eligible in all.
   */
  eligible?: number;
  /** Present when answered from a last-good copy. */
  stale?: Staleness;
}

/** A profile by id, with the answer's staleness. */
export interface Lookup {
  profile: Profile | undefined;
  stale?: Staleness;
}

export interface CandidateSource {
  candidates(query: CandidateQuery): Promise<CandidateSet>;
  /** A listed or unlisted profile by id (callers decide what to expose). */
  get(id: string): Promise<Profile | undefined>;
  /** `get` saying whether the answer is stale; absent: a source whose answers never are. */
  lookup?(id: string): Promise<Lookup>;
}

/** A profile by id with its staleness, from any source. */
export async function lookUp(source: CandidateSource, id: string): Promise<Lookup> {
  return source.lookup ? source.lookup(id) : { profile: await source.get(id) };
}
