// The internal partner finder (POST /v1/match) and the staff profile lookup, both behind bearer
// auth and never cached. The body is read and checked here step by step (media type, size,
// JSON, schema) so that each failure is its own problem+json naming what is wrong, not a 500.
import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { Catalog } from "../../catalog/catalog.js";
import { MOTIONS, SIGNALS } from "../../catalog/match-policy.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { codeOf } from "../../partner/schema.js";
import { StaffProfileSchema, toStaffProfile } from "../../partner/staff-profile.js";
import { findMatches } from "../../ranking/find-matches.js";
import { HARD_RULES, Matcher, type MatchRequest } from "../../ranking/match.js";
import { bearerAuth } from "../auth.js";
import { type FieldError, fieldErrors, ProblemError } from "../problem.js";
import { describe, newRouter } from "../validation.js";
import { ProblemSchema } from "./schemas.js";

export const MATCH_BODY_LIMIT = 64 * 1024;
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const upper = (s: string) => s.trim().toUpperCase();
const lower = (s: string) => s.trim().toLowerCase();

/** The request body, strict at every level: an unknown field is a 400 naming it. */
export function matchBodySchema(catalog: Catalog) {
  const codes = (kind: Parameters<typeof codeOf>[1], norm?: (s: string) => string) =>
    z
      .array(codeOf(catalog, kind, norm))
      .max(50)
      .optional();
  const customer = z
    .object({
      country: codeOf(catalog, "country", upper),
      languages: codes("language", lower),
      industry: codeOf(catalog, "industry").optional(),
      companySize: codeOf(catalog, "customerSize").optional(),
      products: codes("product"),
      needs: codes("service"),
      location: z
        .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
        .strict()
        .optional(),
      partnerOfRecord: z.string().regex(ID, "a partner id").optional(),
      id: z.string().min(1).max(200).optional(),
    })
    .strict();
  return z
    .object({
      customer,
      motion: z.enum(MOTIONS, { error: `must be one of ${MOTIONS.join(", ")}` }).optional(),
      limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    })
    .strict();
}

const bodyDoc = (catalog: Catalog) => {
  const codes = (kind: "language" | "product" | "service") =>
    z.array(z.enum(catalog.lists[kind] as [string, ...string[]]));
  return z
    .object({
      customer: z.object({
        country: z.string().openapi({ description: "ISO 3166-1 alpha-2", example: "DE" }),
        languages: codes("language")
          .optional()
          .openapi({ description: "ISO 639-1; a candidate shares one" }),
        industry: z.enum(catalog.lists.industry as [string, ...string[]]).optional(),
        companySize: z.enum(catalog.lists.customerSize as [string, ...string[]]).optional(),
        products: codes("product").optional(),
        needs: codes("service")
          .optional()
          .openapi({ description: "Services needed; accreditation codes weigh most" }),
        location: z.object({ lat: z.number(), lon: z.number() }).optional(),
        partnerOfRecord: z
          .string()
          .optional()
          .openapi({ description: "The partner managing this customer: first when eligible" }),
        id: z.string().optional().openapi({
          description: "Opaque customer reference; only seeds the rotation among equal scores",
        }),
      }),
      motion: z.enum(MOTIONS).optional(),
      limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).optional(),
    })
    .openapi("MatchRequest");
};

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

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

const NO_STORE = { "cache-control": "no-store" };

function bodyError(
  code: "invalid_request" | "payload_too_large" | "unsupported_media_type",
  e: FieldError,
) {
  return new ProblemError(code, `${e.name}: ${e.reason}`, { errors: [e] });
}

function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

export function matchRoutes(catalog: Catalog, policy: MarketPolicy) {
  const app = newRouter();
  const schema = matchBodySchema(catalog);
  const matcher = new Matcher(catalog, policy);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A token from MATCH_API_TOKENS",
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/v1/match",
      summary: "Internal partner finder: best-fit eligible partners for one customer",
      description:
        "Every candidate meets the hard rules (serves the country, shares a language, is a partner accepting referrals with capacity, accredited or qualified, motion rules). Scores are weighted signals; each candidate's reasons add up to its score. Equal scores (within the policy's epsilon) rotate daily per request. Never cached.",
      security: [{ bearer: [] }],
      request: {
        body: { required: true, content: { "application/json": { schema: bodyDoc(catalog) } } },
      },
      responses: {
        200: {
          description: "Ranked candidates with reasons",
          content: { "application/json": { schema: MatchResponseSchema } },
        },
        400: problem("Invalid body (each offending field named), malformed or empty JSON"),
        401: problem("Missing or invalid bearer token"),
        413: problem(`Body larger than ${MATCH_BODY_LIMIT} bytes`),
        415: problem("Body is not application/json"),
        422: problem("Matching is not offered in the customer's country (see `directory`)"),
        503: problem("Search engine unavailable"),
      },
    }),
  );

  app.post(
    "/v1/match",
    bearerAuth(),
    async (c, next) => {
      if (!isJsonType(c.req.header("content-type"))) {
        throw bodyError("unsupported_media_type", {
          name: "content-type",
          in: "header",
          reason: `must be application/json (got ${c.req.header("content-type") ?? "none"})`,
        });
      }
      await next();
    },
    bodyLimit({
      maxSize: MATCH_BODY_LIMIT,
      onError: () => {
        throw bodyError("payload_too_large", {
          name: "(body)",
          in: "body",
          reason: `larger than ${MATCH_BODY_LIMIT} bytes`,
          pointer: "#/",
        });
      },
    }),
    async (c) => {
      const text = await c.req.text();
      if (text.trim() === "") {
        throw bodyError("invalid_request", {
          name: "(body)",
          in: "body",
          reason: "the body is empty; send a JSON object",
          pointer: "#/",
        });
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw bodyError("invalid_request", {
          name: "(body)",
          in: "body",
          reason: `malformed JSON: ${(e as Error).message}`,
          pointer: "#/",
        });
      }
      const r = schema.safeParse(raw);
      if (!r.success) {
        const errors = fieldErrors(r.error.issues, "body");
        throw new ProblemError("invalid_request", describe(errors), { errors });
      }
      const body = r.data;
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
      return c.json(
        {
          market: result.market,
          rankingVersion: result.rankingVersion,
          considered: result.considered,
          eligible: result.eligible,
          accreditationsNotOffered: result.accreditationsNotOffered,
          ...(result.partnerOfRecord ? { partnerOfRecord: result.partnerOfRecord } : {}),
          candidates: result.candidates.map((k) => ({
            rank: k.rank,
            score: k.score,
            eligibility: k.eligibility,
            partner: toStaffProfile(k.profile, catalog, policy),
            reasons: k.reasons,
          })),
        },
        200,
        NO_STORE,
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
      request: { params: z.object({ id: z.string().regex(ID, "a partner id") }) },
      responses: {
        200: {
          description: "The staff profile, listed in the directory or not",
          content: { "application/json": { schema: StaffProfileSchema } },
        },
        400: problem("Malformed id"),
        401: problem("Missing or invalid bearer token"),
        404: problem("No partner with this id"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const p = await c.var.deps.backend.get(id);
      if (!p) throw new ProblemError("not_found", `no partner "${id}"`);
      return c.json(toStaffProfile(p, catalog, policy), 200, NO_STORE);
    },
  );

  return app;
}
