// The partner facts the finder's hard rules and pre-filters are made of, as named predicates,
// each stated once. The matcher reads them as columns (match-features.ts), the embedded engine
// as bitsets and Elasticsearch as indexed fields, all computed with these functions, so a rule
// changes here and nowhere else. Which program levels receive referrals, which tiers exist and
// what each motion demands are catalog and policy data; these functions only apply them.
import type { Catalog } from "../catalog/catalog.js";
import type { MatchPolicy, Motion, QualifiedConditions } from "../catalog/match-policy.js";
import type { Profile } from "../partner/schema.js";

/** The program-level rule: the vendor hands referrals only to some levels (catalog). */
export function receivesReferrals(p: Profile, catalog: Catalog): boolean {
  return catalog.referralLevels.includes(p.programLevel);
}

/** Countries a partner is located in or serves: the directory's `country` and the market. */
export function countriesServed(p: Profile): string[] {
  return [...new Set([...p.locations.map((l) => l.country), ...p.markets])];
}

export function servesCountry(p: Profile, country: string): boolean {
  if (p.markets.includes(country)) return true;
  for (const l of p.locations) if (l.country === country) return true;
  return false;
}

export function acceptingReferrals(p: Profile): boolean {
  return p.internal.capacity.acceptingReferrals;
}

/** The capacity rule: accepting referrals with at least one open slot left. */
export function hasCapacity(p: Profile): boolean {
  const cap = p.internal.capacity;
  return cap.acceptingReferrals && cap.openReferrals < cap.maxOpenReferrals;
}

/** The accreditations of the catalog that a market offers; the others nobody can hold there. */
export function offeredAccreditations(
  catalog: Catalog,
  accreditationOffered: (code: string, country: string) => boolean,
  country: string,
): { offered: string[]; notOffered: string[] } {
  const offered: string[] = [];
  const notOffered: string[] = [];
  for (const code of catalog.lists.accreditation) {
    (accreditationOffered(code, country) ? offered : notOffered).push(code);
  }
  return { offered, notOffered };
}

/**
 * The conditions a partner without an accreditation offered in the market must meet there:
 * the first `byMarket` entry whose countries or regions hold `country`, else the default.
 */
export function qualifiedConditions(
  m: MatchPolicy,
  catalog: Catalog,
  country: string,
): QualifiedConditions {
  return (
    m.qualified.byMarket.find((b) => catalog.inAnyArea(country, b.in))?.conditions ??
    m.qualified.default
  );
}

/**
 * The motion rule: a motion may take accredited partners only, except in a market that offers
 * no accreditation at all (partners there are judged on the other criteria).
 */
export function motionRequiresAccreditation(
  m: MatchPolicy,
  motion: Motion | undefined,
  anyOffered: boolean,
): boolean {
  return motion !== undefined && m.motions[motion].requireAccreditation && anyOffered;
}
