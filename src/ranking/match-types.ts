// What a staff match request is and what the finder answers, as types: the leaf every part of
// the ranking (plan, eligibility, signals, explanations) shares without importing match.ts.
import type { Motion, Signal } from "../catalog/match-policy.js";
import type { Profile } from "../partner/schema.js";
import type { Team } from "./teams.js";

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
  /**
   * Of the profiles ranked, how many fail each hard rule first, keyed by HardRule (typed by
   * name only: eligibility.ts depends on this module through match-plan.ts).
   */
  failedRules: Record<string, number>;
  /** When the customer names two or more needs: teams covering them (see teams.ts). */
  teams?: Team[];
}
