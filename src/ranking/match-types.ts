// What a staff match request is and what the finder answers, as types: the leaf every part of
// the ranking (plan, eligibility, signals, explanations) shares without importing match.ts.
import type { Motion, Signal } from "../catalog/match-policy.js";
import type { Profile } from "../partner/schema.js";

export interface MatchCustomer {
  country: string;
  languages?: readonly string[];
  industry?: string;
  companySize?: string;
  products?: readonly string[];
  needs?: readonly string[];
  location?: { lat: number; lon: number };
  /** The partner that already manages this customer: first when eligible. */
  partnerOfRecord?: string;
  /** Opaque customer reference (e.g. a CRM id); only seeds the tie rotation. */
  id?: string;
}

export interface MatchRequest {
  customer: MatchCustomer;
  motion?: Motion;
  limit: number;
}

export interface Reason {
  signal: Signal;
  detail: string;
  contribution: number;
}

export type Eligibility = "accredited" | "qualified";

export interface RankedCandidate {
  rank: number;
  score: number;
  eligibility: Eligibility;
  profile: Profile;
  reasons: Reason[];
}

export interface MatchOutcome {
  market: string;
  rankingVersion: string;
  /** Partners in the market (before the hard rules and the backend's pre-filters). */
  considered: number;
  /** Profiles that meet every hard rule. */
  eligible: number;
  /** Accreditations not offered in this market: nobody needs them, holding them adds nothing. */
  accreditationsNotOffered: string[];
  candidates: RankedCandidate[];
}
