// The partner finder's policy as data: who may be a candidate besides accredited partners, what
// each deal motion demands, and every weight and constant of the fit score. Operators replace it
// with the rest of the market policy (MARKET_POLICY_FILE); `rankingVersionOf` fingerprints it
// together with the scoring code so a response says which ranking produced it.
import { z } from "zod";
import { canonicalJson, hashHex } from "../lib/hash.js";

/**
 * Bump when the scoring code changes in a way that can reorder results (a new signal, a changed
 * formula), so `rankingVersion` changes even when the policy file does not.
 */
export const MATCH_CODE_VERSION = "match-1";

export const MOTIONS = ["difm", "upmarket_referral", "partner_collaboration"] as const;
export type Motion = (typeof MOTIONS)[number];

/** Signals of the score, in the order reasons list them. Weights are keyed by these names. */
export const SIGNALS = [
  "partner_of_record",
  "accreditation_match",
  "accredited",
  "products",
  "industry",
  "company_size",
  "services",
  "languages",
  "track_record",
  "tier",
  "retention",
  "tool_usage",
  "reviews",
  "proximity",
  "capacity",
] as const;
export type Signal = (typeof SIGNALS)[number];

const weight = z.number().min(0).max(100);

/**
 * How a fit group compares the customer's vector with the partner's: `profile` over the
 * partner's whole vector (a partner whose work is concentrated on what the customer needs fits
 * better than a generalist), `request` over the requested dimensions only (coverage: speaking
 * both of the customer's languages beats speaking one, however many others it speaks).
 */
const scope = z.enum(["profile", "request"]);

const motion = z
  .object({
    /**
     * Only accredited partners may take the deal, except in a market where no accreditation is
     * offered (there the rule is waived: partners are judged on the other criteria).
     */
    requireAccreditation: z.boolean(),
  })
  .strict();

const WeightsSchema = z
  .object(Object.fromEntries(SIGNALS.map((s) => [s, weight])) as Record<Signal, typeof weight>)
  .strict();

/** Conditions a partner without an accreditation offered in the market must all meet. */
const QualifiedConditionsSchema = z
  .object({
    /** Lowest tier code (catalog) that may qualify. */
    minTier: z.string().min(1),
    /**
     * Proven record: at least this many customers in one of the requested products or in
     * the customer's industry (in any product when the request names neither).
     */
    minTrackRecord: z.number().int().min(0),
    /** Share of managed customers retained, 0..1 (0: retention only weighs in the score). */
    minRetention: z.number().min(0).max(1),
  })
  .strict();
export type QualifiedConditions = z.infer<typeof QualifiedConditionsSchema>;

export const MatchPolicySchema = z
  .object({
    qualified: z
      .object({
        /** Where no `byMarket` entry holds the customer's country. */
        default: QualifiedConditionsSchema,
        /**
         * Conditions per market, the first entry whose `in` (country codes or region names)
         * holds the customer's country. Where no accreditation is offered, every candidate is
         * judged by these alone, so they stand in for accreditation there (tier and a relevant
         * record) rather than stacking every condition of the default on top of each other.
         */
        byMarket: z
          .array(
            z
              .object({
                in: z.array(z.string().regex(/^[A-Z_]{2,}$/)).min(1),
                /** Why these markets differ: the policy's reader should not have to ask. */
                note: z.string().optional(),
                conditions: QualifiedConditionsSchema,
              })
              .strict(),
          )
          .default([]),
      })
      .strict(),
    /** Per deal motion; a motion absent from the request adds no rule. */
    motions: z
      .object({ difm: motion, upmarket_referral: motion, partner_collaboration: motion })
      .strict() satisfies z.ZodType<Record<Motion, unknown>>,
    weights: WeightsSchema,
    fit: z
      .object({
        products: z.object({ scope }).strict(),
        industry: z.object({ scope }).strict(),
        company_size: z.object({ scope }).strict(),
        services: z.object({ scope }).strict(),
        languages: z.object({ scope }).strict(),
      })
      .strict(),
    features: z
      .object({
        /** A declared product/industry/size counts like this many track-record customers. */
        declaredPrior: z.number().min(0),
        /** Track record count at which the record signal reaches one half (c / (c + h)). */
        recordHalfSaturation: z.number().positive(),
        /** Credit of the sizes next to the customer's (a large-company partner fits medium). */
        adjacentSizeCredit: z.number().min(0).max(1),
        /** Tool-usage index that earns the full tool_usage signal. */
        toolUsageTarget: z.number().positive(),
        /** Bayesian prior: few reviews say little, so they are shrunk toward this average. */
        reviewsPrior: z
          .object({ count: z.number().min(0), average: z.number().min(0).max(5) })
          .strict(),
        /** Proximity decays as exp(-km / decayKm) from the nearest partner location. */
        decayKm: z.number().positive(),
      })
      .strict(),
    /** Scores closer than this to a tie group's best rotate by a seeded hash (request + day). */
    tieEpsilon: z.number().min(0).max(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const others = SIGNALS.filter((s) => s !== "partner_of_record").reduce(
      (sum, s) => sum + m.weights[s],
      0,
    );
    // The partner of record must outrank everyone it is compared with, tie rotation included.
    if (m.weights.partner_of_record <= others + m.tieEpsilon) {
      ctx.addIssue({
        code: "custom",
        path: ["weights", "partner_of_record"],
        message: `must exceed the sum of the other weights plus tieEpsilon (${others + m.tieEpsilon}) so the partner of record ranks first`,
      });
    }
  });
export type MatchPolicy = z.infer<typeof MatchPolicySchema>;

/**
 * `rankingVersion`: the code version plus a hash of the whole match policy in canonical form
 * (sorted keys), so a change of any weight, condition or constant shows in every response.
 */
export function rankingVersionOf(m: MatchPolicy): string {
  return `${MATCH_CODE_VERSION}.${hashHex(canonicalJson(m))}`;
}
