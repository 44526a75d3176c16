// The public projection: an allow-list. Every field is copied by name, nested objects too, so
// a field added to the profile later (internal or not) never reaches a public response until
// someone adds it here on purpose.
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Profile } from "./schema.js";

export interface PublicProfile {
  id: string;
  name: string;
  description: string;
  website?: string;
  programLevel: string;
  tier: string;
  accreditations: { code: string; since?: string }[];
  certificationsCount: number;
  languages: string[];
  industries: string[];
  services: string[];
  products: string[];
  customerSizes: string[];
  locations: { country: string; city: string; lat?: number; lon?: number }[];
  markets: string[];
  reviews: { count: number; average: number };
  minProjectBudgetUsd?: number;
  updatedAt: string;
  accredited: boolean;
  badges: string[];
}

export function toPublicProfile(p: Profile, catalog: Catalog, policy: MarketPolicy): PublicProfile {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    ...(p.website !== undefined ? { website: p.website } : {}),
    programLevel: p.programLevel,
    tier: p.tier,
    accreditations: p.accreditations.map((a) => ({
      code: a.code,
      ...(a.since !== undefined ? { since: a.since } : {}),
    })),
    certificationsCount: p.certificationsCount,
    languages: [...p.languages],
    industries: [...p.industries],
    services: [...p.services],
    products: [...p.products],
    customerSizes: [...p.customerSizes],
    locations: p.locations.map((l) => ({
      country: l.country,
      city: l.city,
      ...(l.lat !== undefined && l.lon !== undefined ? { lat: l.lat, lon: l.lon } : {}),
    })),
    markets: [...p.markets],
    reviews: { count: p.reviews.count, average: p.reviews.average },
    ...(p.minProjectBudgetUsd !== undefined ? { minProjectBudgetUsd: p.minProjectBudgetUsd } : {}),
    updatedAt: p.updatedAt,
    accredited: p.accreditations.length > 0,
    badges: badgesOf(p, catalog, policy),
  };
}

/** Badges a directory card shows; thresholds come from the policy, names from the catalog. */
export function badgesOf(p: Profile, catalog: Catalog, policy: MarketPolicy): string[] {
  const badges: string[] = [];
  if (p.programLevel === "provider") badges.push("solutions_provider");
  else badges.push(p.tier === "none" ? "solutions_partner" : `${p.tier}_partner`);
  for (const a of p.accreditations) {
    if (catalog.codes.accreditation.has(a.code)) badges.push(`accredited_${a.code}`);
  }
  const top = policy.data.directory.topRated;
  if (p.reviews.count >= top.minReviews && p.reviews.average >= top.minAverage) {
    badges.push("top_rated");
  }
  return badges;
}
