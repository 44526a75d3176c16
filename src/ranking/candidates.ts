// What the partner finder asks of a search engine, stated by the ranking: the pre-filter query
// (a plan each backend translates) and the two reads the finder needs. Declared here, not in
// search/, so the ranking depends on no backend; every SearchBackend is a CandidateSource.
import type { Profile } from "../partner/schema.js";

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
  /** Only partners with a free referral slot (`hasCapacity`). */
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

/**
 * Set on an answer that came from a last-good copy of the data because the engine itself could
 * not answer (search/fallback/). It travels with each answer, never as state of the backend, so
 * concurrent requests never see each other's.
 */
export interface Staleness {
  /** When the copy answered from was taken (ISO 8601). */
  asOf: string;
}

export interface CandidateSet {
  /** The market's partners that pass the pre-filters, in id order. */
  profiles: Profile[];
  /** Partners in the market (country, languages) before the optional pre-filters. */
  marketSize: number;
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
