// Why a finder list is as short as it is: of the market (the partners at a referral level that
// serve the customer's country), how many pass the basic hard rules, how many are eligible,
// and how many each hard rule excludes. The backend's pre-filters drop partners the ranking
// never sees, so their counts come from the backend (CandidateSet.excludedBy) and the rest
// from the ranking (MatchOutcome.failedRules); each partner is counted once.
import type { CandidateSet } from "./candidates.js";
import { HARD_RULES, type HardRule } from "./eligibility.js";

/** The conditions a coverage names: the hard rules a partner of the market can fail. */
export const COVERAGE_CONDITIONS = HARD_RULES.filter(
  (r) => r !== "program_level" && r !== "serves_country",
) as Exclude<HardRule, "program_level" | "serves_country">[];
export type CoverageCondition = (typeof COVERAGE_CONDITIONS)[number];

/** The basic rules: every partner passing them is a candidate once accredited or qualified. */
const BASIC: readonly HardRule[] = ["shared_language", "accepting_referrals", "capacity"];

export interface Coverage {
  /** Market partners meeting the basic hard rules (language, accepting referrals, capacity). */
  passedHardRules: number;
  /** Of them, those also accredited or qualified and allowed by the motion. */
  eligible: number;
  /** Market partners excluded, each under the first condition it fails. */
  excludedBy: Record<CoverageCondition, number>;
}

/**
 * Merges the backend's and the ranking's counts. The sets are disjoint (a profile a pre-filter
 * dropped never reaches the ranking) except for `shared_language`, which a backend counts over
 * the whole market without dropping anyone: then its count stands alone.
 */
export function coverageOf(
  set: Pick<CandidateSet, "marketSize" | "excludedBy">,
  ranked: { eligible: number; failedRules: Readonly<Record<string, number>> },
): Coverage {
  const excludedBy = Object.fromEntries(COVERAGE_CONDITIONS.map((c) => [c, 0])) as Record<
    CoverageCondition,
    number
  >;
  for (const c of COVERAGE_CONDITIONS) {
    const fromBackend = set.excludedBy[c];
    const fromRanking = ranked.failedRules[c] ?? 0;
    excludedBy[c] =
      (fromBackend ?? 0) + (c === "shared_language" && fromBackend !== undefined ? 0 : fromRanking);
  }
  // Partners outside the market (a backend that does not narrow it) count as not in it.
  const outside =
    (ranked.failedRules.program_level ?? 0) + (ranked.failedRules.serves_country ?? 0);
  const basic = BASIC.reduce((s, r) => s + (excludedBy[r as CoverageCondition] ?? 0), 0);
  return {
    passedHardRules: set.marketSize - outside - basic,
    eligible: ranked.eligible,
    excludedBy,
  };
}
