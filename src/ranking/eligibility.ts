// The finder's hard rules: a partner that fails any of them is never a candidate, whatever its
// score. Each rule is named, so that staff asking why their partner of record is missing are
// told which rule it fails (the first, in HARD_RULES order), and the backend's pre-filters
// (match-plan.ts candidateQuery) can be checked against the rules they are implied by.
import { F_ACCEPTING, F_CAPACITY, F_REFERRALS, F_SERVES } from "./match-features.js";
import type { Bound } from "./match-plan.js";

/** The hard rules, in the order they are checked; a candidate meets every one. */
export const HARD_RULES = [
  "program_level",
  "serves_country",
  "shared_language",
  "accepting_referrals",
  "capacity",
  "accredited_or_qualified",
  "motion",
] as const;
export type HardRule = (typeof HARD_RULES)[number];

/** Accredited here: holds an accreditation that this market offers. */
export function accredited(x: Bound, r: number): boolean {
  return ((x.block.accreditationMask[r] as number) & x.plan.offeredMask) !== 0;
}

/** Meets the market's conditions for a partner without an accreditation offered here. */
export function qualified(x: Bound, r: number): boolean {
  const b = x.block;
  const q = x.plan.qualified;
  if ((b.tierRank[r] as number) < q.minTierRank) return false;
  if ((b.retention[r] as number) < q.minRetention) return false;
  const dims = x.plan.qualifyDims;
  if (dims.length === 0) return (b.totalProductRecord[r] as number) >= q.minTrackRecord;
  for (let i = 0; i < dims.length; i++) {
    if ((b.counts[(dims[i] as number) * b.n + r] as number) >= q.minTrackRecord) return true;
  }
  return false;
}

/** Speaks one of the requested languages; any partner does when none is requested. */
function sharesLanguage(x: Bound, r: number): boolean {
  const speaks = x.speaks;
  if (speaks.length === 0) return true;
  let any = 0;
  for (let i = 0; i < speaks.length; i++) any |= (speaks[i] as Uint8Array)[r] as number;
  return any !== 0;
}

/**
 * The first hard rule row `r` fails, or undefined when it is eligible. It runs for every row
 * of a market, so it is straight-line code in HARD_RULES order with each branch naming its
 * rule: a table of one predicate per rule read well but made a US-wide rank about 30% slower
 * (one call site calling seven different functions). match.test.ts checks each rule's name,
 * the golden test how often each one is the first to fail.
 */
export function failedRule(x: Bound, r: number): HardRule | undefined {
  const f = x.block.flags[r] as number;
  if ((f & F_REFERRALS) === 0) return "program_level";
  if ((f & F_SERVES) === 0) return "serves_country";
  if (!sharesLanguage(x, r)) return "shared_language";
  if ((f & F_ACCEPTING) === 0) return "accepting_referrals";
  if ((f & F_CAPACITY) === 0) return "capacity";
  const isAccredited = accredited(x, r);
  if (!isAccredited && !qualified(x, r)) return "accredited_or_qualified";
  if (x.plan.requireAccreditation && !isAccredited) return "motion";
  return undefined;
}
