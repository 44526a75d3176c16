// The market policy at run time: where matching and each accreditation are offered, and the
// directory and partner-finder weights.

import { type Catalog, CatalogError, parseOrThrow } from "./catalog.js";
import defaultPolicyJson from "./data/market-policy.json" with { type: "json" };
import type { MatchPolicy } from "./match-policy.js";
import { type MarketPolicyData, MarketPolicyDataSchema } from "./schema.js";

export interface MarketPolicy {
  readonly data: MarketPolicyData;
  matchingOffered(country: string): boolean;
  accreditationOffered(accreditation: string, country: string): boolean;
}

export function buildPolicy(raw: unknown, catalog: Catalog): MarketPolicy {
  const data = parseOrThrow(MarketPolicyDataSchema, raw, "market policy");
  const knownArea = (a: string) => catalog.codes.country.has(a) || a in catalog.geography.regions;
  const areas = [
    ...data.matching.notOfferedIn,
    ...Object.values(data.accreditationAvailability).flatMap((v) => v.notOfferedIn),
    ...data.match.qualified.byMarket.flatMap((b) => b.in),
  ];
  for (const a of areas) {
    if (!knownArea(a)) throw new CatalogError(`market policy names unknown country or region ${a}`);
  }
  for (const problem of matchPolicyProblems(data.match, catalog)) throw new CatalogError(problem);
  for (const acc of Object.keys(data.accreditationAvailability)) {
    if (!catalog.codes.accreditation.has(acc)) {
      throw new CatalogError(`market policy names unknown accreditation ${acc}`);
    }
  }
  return {
    data,
    matchingOffered: (country) => !catalog.inAnyArea(country, data.matching.notOfferedIn),
    accreditationOffered: (acc, country) =>
      !catalog.inAnyArea(country, data.accreditationAvailability[acc]?.notOfferedIn ?? []),
  };
}

export function defaultPolicy(catalog: Catalog): MarketPolicy {
  return buildPolicy(defaultPolicyJson, catalog);
}

/** What the match policy's schema alone cannot check: codes that must exist in the catalog. */
export function matchPolicyProblems(m: MatchPolicy, catalog: Catalog): string[] {
  const problems: string[] = [];
  for (const q of [m.qualified.default, ...m.qualified.byMarket.map((b) => b.conditions)]) {
    if (!catalog.codes.tier.has(q.minTier)) {
      problems.push(`match policy names unknown tier ${q.minTier}`);
    }
  }
  // Accreditations are held as a bit mask in the ranking's hot loop.
  if (catalog.lists.accreditation.length > 30) {
    problems.push("the partner finder supports at most 30 accreditations");
  }
  return problems;
}
