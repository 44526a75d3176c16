// The internal partner finder (POST /v1/match) and the staff profile lookup, both behind bearer
// auth and never cached. The body is read and checked step by step (media type, size, JSON)
// before the route's documented schema validates it, so that each failure is its own
// problem+json naming what is wrong, not a 500.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Catalog } from "../../catalog/catalog.js";
import { MOTIONS, SIGNALS } from "../../catalog/match-policy.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { StaffProfileSchema, toStaffProfile } from "../../partner/staff-profile.js";
import { COVERAGE_CONDITIONS, type CoverageCondition } from "../../ranking/coverage.js";
import { findMatches } from "../../ranking/find-matches.js";
import { HARD_RULES, Matcher, type MatchRequest } from "../../ranking/match.js";
import { lookUp } from "../../search/backend.js";
import { bearerAuth } from "../auth.js";
import { staleHeaders } from "../cache.js";
import type { AppEnv } from "../env.js";
import { bodyLimited, fieldProblem, ProblemError } from "../problem.js";
import { catalogCode, chars, newRouter, oneOf, quoted } from "../validation.js";
import { auditMatch } from "./audit.js";
import { partnerId, problemResponseDoc } from "./schemas.js";

export const MATCH_BODY_LIMIT = 64 * 1024;
const MAX_CODES = 50;

/**
 * The request body, strict at every level (an unknown field is a 400 naming it): the one schema
 * that validates the body and documents it. Codes are catalog enums; a country may also be sent
 * in lower case and languages in upper case (both listed), turned canonical after validation.
 */
export function matchBodySchema(catalog: Catalog, policy: MarketPolicy) {
  const { defaultLimit, maxLimit } = policy.data.finder;
  const codes = (kind: "language" | "product" | "service", alsoCase?: "upper") =>
    z
      .array(catalogCode(catalog, kind, alsoCase ? { alsoCase } : {}))
      .max(MAX_CODES, `at most ${MAX_CODES} codes`)
      .optional();
  const customer = z
    .object({
      country: catalogCode(catalog, "country", { alsoCase: "lower" }).openapi({
        description: "ISO 3166-1 alpha-2, upper or lower case",
        example: "DE",
      }),
      languages: codes("language", "upper").openapi({
        description: "ISO 639-1, lower or upper case; a candidate shares one",
      }),
      industry: catalogCode(catalog, "industry").optional(),
      companySize: catalogCode(catalog, "customerSize").optional(),
      products: codes("product"),
      needs: codes("service").openapi({
        description: "Services needed; accreditation codes weigh most",
      }),
      location: z
        .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
        .strict()
        .optional()
        .openapi({
          description:
            "Where the customer is, in degrees; the proximity signal favours nearer partners",
        }),
      partnerOfRecord: partnerId
        .optional()
        .openapi({ description: "The partner managing this customer: first when eligible" }),
      id: chars(1, 200).optional().openapi({
        description: "Opaque customer reference; only seeds the rotation among equal scores",
      }),
    })
    .strict();
  return z
    .object({
      customer,
      motion: oneOf(MOTIONS, () => `must be one of ${MOTIONS.join(", ")}`).optional(),
      limit: z.number().int().min(1).max(maxLimit).default(defaultLimit),
    })
    .strict()
    .openapi("MatchRequest");
}

const MatchResponseSchema = z
  .object({
    market: z.string().openapi({ description: "The customer's country" }),
    rankingVersion: z
      .string()
      .openapi({ description: "Changes when the scoring code or the match policy changes" }),
    considered: z.number().int(),
    eligible: z.number().int(),
    accreditationsNotOffered: z.array(z.string()),
    partnerOfRecord: z
      .object({
        id: z.string(),
        eligible: z.boolean(),
        found: z.boolean(),
        failedRule: z.enum(HARD_RULES).optional(),
      })
      .optional(),
    coverage: z
      .object({
        passedHardRules: z.number().int().openapi({
          description:
            "Partners of the market (at a referral level, serving the country) that share a language, accept referrals and have a free slot",
        }),
        eligible: z
          .number()
          .int()
          .openapi({ description: "Of them, accredited or qualified and allowed by the motion" }),
        excludedBy: z
          .object(
            Object.fromEntries(COVERAGE_CONDITIONS.map((k) => [k, z.number().int()])) as Record<
              CoverageCondition,
              z.ZodNumber
            >,
          )
          .openapi({
            description:
              "Partners of the market excluded, each under the first condition it fails (the engine's pre-filters first: see the README)",
          }),
      })
      .openapi({ description: "Why the list is as long as it is" }),
    teams: z
      .array(
        z.object({
          partners: z.array(z.string()).min(2).max(3),
          covers: z.record(z.string(), z.string()),
          score: z.number(),
        }),
      )
      .max(3)
      .optional()
      .openapi({
        description:
          "With two or more needs: up to 3 teams of 2-3 eligible partners that together cover every need, best first; empty when one candidate covers them all",
      }),
    candidates: z.array(
      z.object({
        rank: z.number().int(),
        score: z.number(),
        eligibility: z.enum(["accredited", "qualified"]),
        partner: StaffProfileSchema,
        reasons: z.array(
          z.object({ signal: z.enum(SIGNALS), detail: z.string(), contribution: z.number() }),
        ),
      }),
    ),
  })
  .openapi("MatchResponse");

/**
 * The media types that count as JSON: the same rule as the route's own gate in
 * @hono/zod-openapi (which would otherwise answer anything else with a bare 415 exception), so
 * every body refused for its type is refused here, as a problem naming the header.
 */
const JSON_MEDIA_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * The body read step by step, before the route's schema sees it, so that each failure is its own
 * problem: 415 for the media type, 413 for the size, 400 for an empty body or malformed JSON.
 */
function bodyChecks() {
  const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    const type = c.req.header("content-type");
    if (!type || !JSON_MEDIA_TYPE.test(type)) {
      throw fieldProblem("unsupported_media_type", {
        name: "content-type",
        in: "header",
        reason: `must be application/json (got ${type === undefined ? "none" : quoted(type)})`,
      });
    }
    await next();
  };
  const limit = bodyLimited(MATCH_BODY_LIMIT, "#/");
  const wellFormed: MiddlewareHandler<AppEnv> = async (c, next) => {
    const text = await c.req.text();
    if (text.trim() === "") {
      throw fieldProblem("invalid_request", {
        name: "(body)",
        in: "body",
        reason: "the body is empty; send a JSON object",
        pointer: "#/",
      });
    }
    try {
      JSON.parse(text);
    } catch (e) {
      throw fieldProblem("invalid_request", {
        name: "(body)",
        in: "body",
        reason: `malformed JSON: ${(e as Error).message}`,
        pointer: "#/",
      });
    }
    await next();
  };
  return [jsonOnly, limit, wellFormed] as const;
}

const matchers = new WeakMap<MarketPolicy, Matcher>();
/** One Matcher (and its per-market caches) per policy, shared by the API and the staff page. */
export function sharedMatcher(catalog: Catalog, policy: MarketPolicy): Matcher {
  let m = matchers.get(policy);
  if (!m) {
    m = new Matcher(catalog, policy);
    matchers.set(policy, m);
  }
  return m;
}

export function matchRoutes(catalog: Catalog, policy: MarketPolicy) {
  const app = newRouter();
  const schema = matchBodySchema(catalog, policy);
  const matcher = sharedMatcher(catalog, policy);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A token from MATCH_API_TOKENS",
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/match",
      summary: "Internal partner finder: best-fit eligible partners for one customer",
      description:
        "Every candidate meets the hard rules (serves the country, shares a language, is a partner accepting referrals with capacity, accredited or qualified, motion rules). Scores are weighted signals; each candidate's reasons add up to its score. Equal scores (within the policy's epsilon) rotate daily per request. Never cached.",
      security: [{ bearer: [] }],
      middleware: [bearerAuth(), auditMatch(), ...bodyChecks()] as const,
      request: {
        body: { required: true, content: { "application/json": { schema } } },
      },
      responses: {
        200: {
          description: "Ranked candidates with reasons",
          content: { "application/json": { schema: MatchResponseSchema } },
        },
        400: problemResponseDoc(
          "Invalid body (each offending field named), malformed or empty JSON",
        ),
        401: problemResponseDoc("Missing or invalid bearer token"),
        413: problemResponseDoc(`Body larger than ${MATCH_BODY_LIMIT} bytes`),
        415: problemResponseDoc("Body is not application/json"),
        422: problemResponseDoc(
          "Matching is not offered in the customer's country (see `directory`)",
        ),
        503: problemResponseDoc("Search engine unavailable"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const country = body.customer.country;
      if (!policy.matchingOffered(country)) {
        const directory = `/v1/directory/partners?country=${encodeURIComponent(country)}`;
        throw new ProblemError(
          "market_not_offered",
          `${policy.data.matching.message} Country ${country}: see ${directory}`,
          { country, directory },
        );
      }
      const request: MatchRequest = {
        customer: body.customer,
        ...(body.motion ? { motion: body.motion } : {}),
        limit: body.limit,
      };
      const { backend, clock } = c.var.deps;
      const result = await findMatches(backend, matcher, request, clock());
      c.set("matchAnswered", {
        market: result.market,
        rankingVersion: result.rankingVersion,
        candidates: result.candidates.map((k) => ({ id: k.profile.id, score: k.score })),
        ...(result.teams
          ? { teams: result.teams.map((t) => ({ partners: t.partners, score: t.score })) }
          : {}),
      });
      return c.json(
        {
          market: result.market,
          rankingVersion: result.rankingVersion,
          considered: result.considered,
          eligible: result.eligible,
          accreditationsNotOffered: result.accreditationsNotOffered,
          ...(result.partnerOfRecord ? { partnerOfRecord: result.partnerOfRecord } : {}),
          coverage: result.coverage,
          ...(result.teams ? { teams: result.teams } : {}),
          candidates: result.candidates.map((k) => ({
            rank: k.rank,
            score: k.score,
            eligibility: k.eligibility,
            partner: toStaffProfile(k.profile, catalog, policy),
            reasons: k.reasons,
          })),
        },
        200,
        staleHeaders(result.stale),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/staff/partners/{id}",
      summary: "One partner's full staff profile (internal data included)",
      security: [{ bearer: [] }],
      middleware: [bearerAuth()] as const,
      request: { params: z.object({ id: partnerId }) },
      responses: {
        200: {
          description: "The staff profile, listed in the directory or not",
          content: { "application/json": { schema: StaffProfileSchema } },
        },
        400: problemResponseDoc("Malformed id"),
        401: problemResponseDoc("Missing or invalid bearer token"),
        404: problemResponseDoc("No partner with this id"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { profile: p, stale } = await lookUp(c.var.deps.backend, id);
      if (!p) throw new ProblemError("not_found", `no partner "${id}"`, {}, staleHeaders(stale));
      return c.json(toStaffProfile(p, catalog, policy), 200, staleHeaders(stale));
    },
  );

  return app;
}
