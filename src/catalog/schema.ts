// Schemas for the program catalog and the market policy: the business facts live in JSON data
// files so an operator can replace them without touching code.
import { z } from "zod";
import { MatchPolicySchema } from "./match-policy.js";

const code = z.string().regex(/^[a-z][a-z0-9_]*$/, "codes are lower_snake_case");
/**
 * The interface languages other than English (English is `label`). Optional so that an
 * operator's English-only catalog still loads (pages then fall back to English); the bundled
 * catalog carries all of them, which a test checks.
 */
export const LABEL_LANGUAGES = ["de", "fr", "ja", "es"] as const;
const labels = z
  .object(
    Object.fromEntries(LABEL_LANGUAGES.map((l) => [l, z.string().min(1)])) as {
      [L in (typeof LABEL_LANGUAGES)[number]]: z.ZodString;
    },
  )
  .partial()
  .strict();
const entry = z.object({ code, label: z.string().min(1), labels: labels.optional() }).strict();

/** A directory badge name, shown to people by the pages' label tables. */
const badge = z.string().regex(/^[a-z][a-z0-9_]*$/, "badges are lower_snake_case");

export const CatalogDataSchema = z
  .object({
    programLevels: z
      .array(
        entry
          .extend({
            /** Partners of this level hold a tier; the others hold the untiered (rank 0) one. */
            tiered: z.boolean(),
            /** The vendor hands referrals (the partner finder) only to these levels. */
            receivesReferrals: z.boolean(),
            /** Badge of the level, shown when its tier has no badge of its own. */
            badge,
          })
          .strict(),
      )
      .min(1),
    /** Rank 0 is "untiered"; higher ranks are more visible and qualify for more. */
    tiers: z
      .array(entry.extend({ rank: z.number().int().min(0), badge: badge.optional() }).strict())
      .min(1)
      .refine((t) => t.filter((x) => x.rank === 0).length === 1, {
        message: "exactly one tier has rank 0 (untiered)",
      })
      .refine((t) => new Set(t.map((x) => x.rank)).size === t.length, {
        message: "tier ranks are unique",
      }),
    accreditations: z.array(entry),
    products: z.array(entry),
    services: z.array(entry),
    industries: z.array(entry),
    customerSizes: z.array(
      entry
        .extend({ minStaff: z.number().int().min(1), maxStaff: z.number().int().nullable() })
        .strict(),
    ),
  })
  .strict();
export type CatalogData = z.infer<typeof CatalogDataSchema>;

export const GeographySchema = z
  .object({
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
    regions: z.record(z.string().regex(/^[A-Z_]{3,}$/), z.array(z.string().regex(/^[A-Z]{2}$/))),
  })
  .strict();
export type Geography = z.infer<typeof GeographySchema>;

/** A list of ISO country codes and/or region names from the geography file. */
const area = z.array(z.string().regex(/^[A-Z_]{2,}$/));

export const DirectoryPolicySchema = z
  .object({
    weights: z
      .object({
        text: z.number().min(0),
        tier: z.number().min(0),
        reviews: z.number().min(0),
        certifications: z.number().min(0),
      })
      .strict(),
    /** Bayesian prior so that one 5-star review does not outrank 40 reviews averaging 4.8. */
    reviewsPrior: z
      .object({ count: z.number().min(0), average: z.number().min(0).max(5) })
      .strict(),
    topRated: z
      .object({ minReviews: z.number().int().min(0), minAverage: z.number().min(0).max(5) })
      .strict(),
    /** Free text: each field's weight (a name hit outweighs a description hit) and BM25. */
    text: z
      .object({
        fields: z
          .object({
            name: z.number().min(0),
            city: z.number().min(0),
            services: z.number().min(0),
            description: z.number().min(0),
          })
          .strict(),
        /** Lucene's BM25 (without the legacy (k1 + 1) factor); the index mapping uses these. */
        bm25: z.object({ k1: z.number().min(0), b: z.number().min(0).max(1) }).strict(),
        /**
         * A word matching a field loosely (as a prefix of a term, or within one edit) scores
         * this share of the field's weight, once per field however many terms it reaches; an
         * exact match scores BM25 on top (an exact term also satisfies both loose rules).
         */
        looseMatch: z.object({ prefix: z.number().min(0), oneEdit: z.number().min(0) }).strict(),
        /** Most word subsets a relaxed search counts before giving up (2^words - 2 at most). */
        relaxMaxCombinations: z.number().int().min(0),
      })
      .strict(),
    /** Certifications count at which the certifications boost reaches its full weight. */
    certificationsSaturation: z.number().int().min(1),
    maxQueryLength: z.number().int().min(1),
    maxPageSize: z.number().int().min(1),
    defaultPageSize: z.number().int().min(1),
    /** Deepest result served (page x pageSize); the Elasticsearch index window is set to it. */
    maxResultWindow: z.number().int().min(1),
    /**
     * "Near me": the radius a `near` search uses unless one is given, and the radii accepted.
     * Capped so a circle stays a regional search (its bounding box a few hundred grid cells).
     */
    near: z
      .object({
        defaultRadiusKm: z.number().positive(),
        minRadiusKm: z.number().int().min(1),
        maxRadiusKm: z.number().int().min(1).max(5000),
      })
      .strict()
      .refine((n) => n.minRadiusKm <= n.defaultRadiusKm && n.defaultRadiusKm <= n.maxRadiusKm, {
        message: "defaultRadiusKm must lie within minRadiusKm..maxRadiusKm",
        path: ["defaultRadiusKm"],
      })
      .default({ defaultRadiusKm: 100, minRadiusKm: 1, maxRadiusKm: 1000 }),
  })
  .strict()
  .refine((d) => d.defaultPageSize <= d.maxPageSize, {
    message: "defaultPageSize must not exceed maxPageSize",
    path: ["defaultPageSize"],
  })
  .refine((d) => d.maxPageSize <= d.maxResultWindow, {
    message: "maxPageSize must not exceed maxResultWindow",
    path: ["maxPageSize"],
  });
export type DirectoryPolicy = z.infer<typeof DirectoryPolicySchema>;

export const MarketPolicyDataSchema = z
  .object({
    version: z.string().min(1),
    matching: z.object({ notOfferedIn: area, message: z.string().min(1) }).strict(),
    accreditationAvailability: z.record(code, z.object({ notOfferedIn: area }).strict()),
    directory: DirectoryPolicySchema,
    /** How many candidates a finder answer holds (`limit`): its default and most. */
    finder: z
      .object({
        defaultLimit: z.number().int().min(1),
        maxLimit: z.number().int().min(1),
        /**
         * Teams for several needs no single candidate covers (ranking/teams.ts): drawn from
         * the best `poolSize` candidates covering a need, scored as the mean member score
         * minus `extraMemberPenalty` per member beyond two. Not part of `rankingVersion`: teams
         * never change the candidates' order or scores.
         */
        teams: z
          .object({
            poolSize: z.number().int().min(2).max(50),
            maxTeams: z.number().int().min(0).max(3),
            maxMembers: z.number().int().min(2).max(3),
            extraMemberPenalty: z.number().min(0),
          })
          .strict()
          .default({ poolSize: 20, maxTeams: 3, maxMembers: 3, extraMemberPenalty: 0.05 }),
      })
      .strict()
      .refine((f) => f.defaultLimit <= f.maxLimit, {
        message: "defaultLimit must not exceed maxLimit",
        path: ["defaultLimit"],
      }),
    /** The partner finder's conditions and weights (see match-policy.ts). */
    match: MatchPolicySchema,
  })
  .strict();
export type MarketPolicyData = z.infer<typeof MarketPolicyDataSchema>;
