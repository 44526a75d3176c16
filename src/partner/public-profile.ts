// The public projection: an allow-list. Every field is copied by name, nested objects too, so
// a field added to the profile later (internal or not) never reaches a public response until
// someone adds it here on purpose. The response schema (and so the type) sits beside the copy.
import { z } from "@hono/zod-openapi";
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { ProfileWithoutInternal } from "./schema.js";

/** The public profile as the API serves it; the type below is inferred from it. */
export const PublicProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    website: z.string().optional(),
    programLevel: z.string(),
    tier: z.string(),
    accreditations: z.array(z.object({ code: z.string(), since: z.string().optional() })),
    certificationsCount: z.number().int(),
    languages: z.array(z.string()),
    industries: z.array(z.string()),
    services: z.array(z.string()),
    products: z.array(z.string()),
    customerSizes: z.array(z.string()),
    locations: z.array(
      z.object({
        country: z.string(),
        city: z.string(),
        lat: z.number().optional(),
        lon: z.number().optional(),
      }),
    ),
    markets: z.array(z.string()),
    reviews: z.object({ count: z.number().int(), average: z.number() }),
    minProjectBudgetUsd: z.number().optional(),
    updatedAt: z.string(),
    accredited: z.boolean(),
    badges: z.array(z.string()),
  })
  .openapi("PublicProfile");
export type PublicProfile = z.infer<typeof PublicProfileSchema>;

/** One directory search result: the public profile and its place in the whole result list. */
export const RankedPublicProfileSchema = PublicProfileSchema.extend({
  rank: z.number().int().openapi({ description: "1-based position across all pages" }),
  distanceKm: z.number().optional().openapi({
    description: "With near: km to the partner's nearest location, one decimal",
  }),
  locatedIn: z.boolean().optional().openapi({
    description:
      "With a country filter: true when the partner has a location in a selected country, false when it only serves one",
  }),
}).openapi("RankedPublicProfile");
export type RankedPublicProfile = z.infer<typeof RankedPublicProfileSchema>;

export function toPublicProfile(
  p: ProfileWithoutInternal,
  catalog: Catalog,
  policy: MarketPolicy,
): PublicProfile {
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
export function badgesOf(
  p: ProfileWithoutInternal,
  catalog: Catalog,
  policy: MarketPolicy,
): string[] {
  const badges: string[] = [];
  const level = catalog.levelBadge(p.programLevel, p.tier);
  if (level) badges.push(level);
  for (const a of p.accreditations) {
    if (catalog.codes.accreditation.has(a.code)) badges.push(`accredited_${a.code}`);
  }
  const top = policy.data.directory.topRated;
  if (p.reviews.count >= top.minReviews && p.reviews.average >= top.minAverage) {
    badges.push("top_rated");
  }
  return badges;
}
