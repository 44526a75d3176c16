// Public directory search and profile lookup (CONTRACT.md section 2). Query parameters are
// validated strictly: an unknown parameter or a value outside the catalog is a 400 naming it,
// never silently ignored.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { canonicalJson } from "../../lib/hash.js";
import {
  PublicProfileSchema,
  RankedPublicProfileSchema,
  toPublicProfile,
} from "../../partner/public-profile.js";
import {
  buildDirectoryPlan,
  DIRECTORY_SORTS,
  type DirectoryQuery,
  FILTER_FIELD_KIND,
  FILTER_FIELDS,
  type FilterField,
  maxPage,
  placeOf,
  SORTS_NEEDING_NEAR,
} from "../../ranking/directory.js";
import { generationOf, lookUp, type SearchBackend, type Staleness } from "../../search/backend.js";
import { AnswerCache, type CachedAnswer, type Sha1Hex } from "../answer-cache.js";
import { staleHeaders } from "../cache.js";
import { directoryJson } from "../directory-json.js";
import type { AppEnv } from "../env.js";
import { type FieldError, fieldErrors, ProblemError } from "../problem.js";
import {
  catalogCode,
  chars,
  newRouter,
  oneOf,
  queryInteger,
  queryList,
  queryObject,
} from "../validation.js";
import { ProblemSchema, partnerId } from "./schemas.js";

/** At most this many values of one repeatable parameter. */
export const MAX_VALUES = 50;

// `near=lat,lon` in decimal degrees, the ranges written into the pattern itself, so that the
// documented pattern accepts exactly the points the service does.
const LAT = String.raw`-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)`;
const LON = String.raw`-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)`;
const NEAR = new RegExp(`^(${LAT}),(${LON})$`);
const TWO_NUMBERS = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/;

/** Why a `near` value is refused, in the caller's terms. */
function nearReason(input: string): string {
  const m = TWO_NUMBERS.exec(input);
  if (!m) return 'must be "lat,lon" in decimal degrees, e.g. near=52.52,13.405';
  if (Math.abs(Number(m[1])) > 90) return "latitude must be within -90..90";
  return "longitude must be within -180..180";
}

/**
 * The query of GET /v1/directory/partners: the one schema that validates it and documents it.
 * Repeatable parameters are arrays; the others may appear once. The deepest page keeps every
 * accepted page inside the result window (page x pageSize <= maxResultWindow at any pageSize).
 */
export function directoryQuerySchema(catalog: Catalog, policy: MarketPolicy) {
  const dp = policy.data.directory;
  const deepest = maxPage(dp);
  const codes = (field: Exclude<FilterField, "accredited">, description?: string) => {
    const kind = FILTER_FIELD_KIND[field];
    const why = (input: string) =>
      input.includes(",")
        ? `"${input}" is not a ${kind} code; repeat the parameter for OR (${field}=a&${field}=b)`
        : `unknown ${kind} code "${input}"`;
    const item = catalogCode(catalog, kind, {
      why,
      ...(kind === "country" ? { alsoCase: "lower" as const } : {}),
    });
    return queryList(item, field, MAX_VALUES)
      .optional()
      .openapi({
        description: `${description ?? `A code of the catalog's ${kind} list.`} Repeat for OR.`,
      });
  };
  return z
    .object({
      q: chars(0, dp.maxQueryLength, { once: "q" })
        .transform((s) => s.trim())
        .optional()
        .openapi({ description: "Free text over name, description, services and city." }),
      country: codes(
        "country",
        "ISO 3166-1 alpha-2 (upper or lower case); a partner located in or serving it.",
      ),
      language: codes("language", "ISO 639-1."),
      industry: codes("industry"),
      service: codes("service"),
      product: codes("product"),
      customerSize: codes("customerSize"),
      tier: codes("tier"),
      accredited: oneOf(["true", "false"], () => 'must be "true" or "false"', {
        once: "accredited",
      })
        .optional()
        .openapi({ description: '"true": accredited partners only.' }),
      page: queryInteger(
        "page",
        1,
        deepest,
        `at most ${deepest}: results beyond the first ${dp.maxResultWindow} are not served; narrow the search`,
      )
        .optional()
        .openapi({ description: `From 1; at most ${deepest}.` }),
      pageSize: queryInteger("pageSize", 1, dp.maxPageSize)
        .optional()
        .openapi({ description: `Default ${dp.defaultPageSize}.` }),
      sort: oneOf(DIRECTORY_SORTS, () => `must be one of ${DIRECTORY_SORTS.join(", ")}`, {
        once: "sort",
      })
        .optional()
        .openapi({
          description:
            "relevance (default): accredited partners first. distance: nearest first (needs near).",
        }),
      near: chars(3, 60, { once: "near" })
        .refine((s) => NEAR.test(s), { error: (iss) => nearReason(String(iss.input)) })
        .transform((s) => {
          const [lat, lon] = s.split(",").map(Number) as [number, number];
          return { lat, lon };
        })
        .optional()
        .openapi({
          pattern: NEAR.source,
          example: "52.52,13.405",
          description: `"lat,lon" in decimal degrees: only partners with a location within radiusKm; each result then carries distanceKm. Ordering stays by the sort (relevance: accredited first, then relevance); sort=distance orders nearest first.`,
        }),
      radiusKm: queryInteger("radiusKm", dp.near.minRadiusKm, dp.near.maxRadiusKm)
        .optional()
        .openapi({
          description: `Kilometres; only with near. Default ${dp.near.defaultRadiusKm}.`,
        }),
      budgetUsd: queryInteger("budgetUsd", 0, Number.MAX_SAFE_INTEGER).optional().openapi({
        description:
          "Only partners whose minimum project budget (USD) is at most this; partners without a minimum pass.",
      }),
    })
    .strict()
    .superRefine((q, ctx) => {
      // What JSON Schema cannot say of query parameters: said in their descriptions, and here.
      if (q.near) return;
      if (q.sort && SORTS_NEEDING_NEAR.has(q.sort)) {
        ctx.addIssue({
          code: "custom",
          path: ["sort"],
          message: `sort=${q.sort} needs near=lat,lon`,
        });
      }
      if (q.radiusKm !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["radiusKm"],
          message: "radiusKm needs near=lat,lon",
        });
      }
    });
}

type DirectoryParams = z.output<ReturnType<typeof directoryQuerySchema>>;

export const DirectoryAnswerSchema = z
  .object({
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    results: z.array(RankedPublicProfileSchema),
    facets: z
      .partialRecord(z.enum(FILTER_FIELDS), z.record(z.string(), z.number().int()))
      .openapi({ description: "Per field, the count of each value (disjunctive)" }),
    relaxed: z
      .object({ dropped: z.array(z.string()) })
      .optional()
      .openapi({
        description:
          "Present when no partner matched every word of q: the words left out (as few as " +
          "possible; among equal drops, the one matching the most partners, then keeping the " +
          "earlier words)",
      }),
  })
  .openapi("DirectoryAnswer");
export type DirectoryAnswer = z.infer<typeof DirectoryAnswerSchema>;

/** The directory query a validated request asks for, defaults filled in. */
function queryOf(q: DirectoryParams, policy: MarketPolicy): DirectoryQuery {
  const filters: DirectoryQuery["filters"] = {};
  for (const f of FILTER_FIELDS) {
    const v = f === "accredited" ? (q.accredited ? [q.accredited] : undefined) : q[f];
    if (v && v.length > 0) filters[f] = v;
  }
  return {
    ...(q.q ? { q: q.q } : {}),
    filters,
    page: q.page ?? 1,
    pageSize: q.pageSize ?? policy.data.directory.defaultPageSize,
    sort: q.sort ?? "relevance",
    // The default radius filled in, so that an answer is kept once for both spellings.
    ...(q.near
      ? { near: q.near, radiusKm: q.radiusKm ?? policy.data.directory.near.defaultRadiusKm }
      : {}),
    ...(q.budgetUsd !== undefined ? { budgetUsd: q.budgetUsd } : {}),
  };
}

/** Equal for requests that must get the same answer (the order of OR-ed values aside). */
function answerKey(query: DirectoryQuery): string {
  const filters = Object.fromEntries(
    Object.entries(query.filters).map(([f, values]) => [f, [...(values ?? [])].sort()]),
  );
  return canonicalJson({ ...query, filters });
}

/** Runs a validated directory query. */
export function directoryRunner(catalog: Catalog, policy: MarketPolicy) {
  return async (
    backend: SearchBackend,
    q: DirectoryParams,
  ): Promise<{ body: DirectoryAnswer; query: DirectoryQuery; stale?: Staleness }> => {
    const query = queryOf(q, policy);
    const plan = buildDirectoryPlan(query, policy);
    const result = await backend.directory(plan);
    return {
      query,
      body: {
        total: result.total,
        page: query.page,
        pageSize: query.pageSize,
        results: result.hits.map((h, i) => ({
          ...toPublicProfile(h.profile, catalog, policy),
          rank: plan.from + i + 1,
          ...placeOf(h.profile, plan),
        })),
        facets: result.facets,
        ...(result.relaxed ? { relaxed: result.relaxed } : {}),
      },
      ...(result.stale ? { stale: result.stale } : {}),
    };
  };
}

/**
 * Validates a directory URL's query (with the API's schema, given the query as the API's
 * validator gives it) and runs it: the web page's way in, so that it accepts and answers exactly
 * the searches the JSON API does.
 */
export function directorySearcher(catalog: Catalog, policy: MarketPolicy) {
  const querySchema = directoryQuerySchema(catalog, policy);
  const run = directoryRunner(catalog, policy);
  return async (
    backend: SearchBackend,
    url: string,
  ): Promise<
    | { ok: true; body: DirectoryAnswer; query: DirectoryQuery; stale?: Staleness }
    | { ok: false; errors: FieldError[] }
  > => {
    const r = querySchema.safeParse(queryObject(url));
    if (!r.success) return { ok: false, errors: fieldErrors(r.error.issues, "query") };
    return { ok: true, ...(await run(backend, r.data)) };
  };
}

/**
 * At most this many raw query strings are remembered with their answer key; past it the memo
 * starts again (a crawler's endless distinct queries must not grow it without bound).
 */
const MAX_REMEMBERED_QUERIES = 4096;

/** The query string of a request URL exactly as sent ("" without one). */
function rawQuery(url: string): string {
  const at = url.indexOf("?");
  return at < 0 ? "" : url.slice(at + 1);
}

/** A directory answer as it goes out: its bytes, its tag, handed to the compressor. */
function serveAnswer(c: Context<AppEnv>, answer: CachedAnswer, stale?: Staleness) {
  c.set("cachedAnswer", answer);
  return c.body(answer.bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/json",
    ...(answer.etag ? { etag: answer.etag } : {}),
    ...staleHeaders(stale),
  });
}

export function directoryRoutes(
  catalog: Catalog,
  policy: MarketPolicy,
  options: { cacheBytes?: number; sha1Hex?: Sha1Hex | undefined } = {},
) {
  const app = newRouter();
  const search = createRoute({
    method: "get",
    path: "/v1/directory/partners",
    summary: "Search the public solutions directory",
    description:
      "A repeated parameter means OR within that field; different fields AND. With sort=relevance, accredited partners that match come first. Facet counts are disjunctive. An unknown parameter, or a repeated one that may appear once, is a 400.",
    request: { query: directoryQuerySchema(catalog, policy) },
    responses: {
      200: {
        description: "A page of partners with facet counts",
        content: { "application/json": { schema: DirectoryAnswerSchema } },
      },
      400: {
        description: "Invalid parameter",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
      503: {
        description: "Search engine unavailable",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  });

  const writeJson = directoryJson(catalog, policy);
  const cache = new AnswerCache(options.cacheBytes, options.sha1Hex);
  // Raw query string -> answer key, for queries the schema accepted: validation depends only on
  // the catalog and the policy, which an app keeps, so a repeated query string skips the zod
  // parse, the normalization and the key's canonical JSON and is answered from the cache here.
  const keys = new Map<string, string>();
  // The generation the check below found, for the handler: an engine's generation can take a
  // call to find out (generation.ts), which one request makes once.
  const generations = new WeakMap<Request, number | undefined>();
  app.use(search.path, async (c, next) => {
    // c.get, not c.var: Hono builds c.var anew from every variable on each read.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const generation = await generationOf(c.get("deps").backend);
    generations.set(c.req.raw, generation);
    if (generation === undefined) return next();
    const key = keys.get(rawQuery(c.req.url));
    const hit = key === undefined ? undefined : cache.get(key, generation);
    if (!hit) return next();
    return serveAnswer(c, hit);
  });
  app.openapi(search, async (c) => {
    const { backend } = c.get("deps");
    const query = queryOf(c.req.valid("query"), policy);
    const generation = generations.has(c.req.raw)
      ? generations.get(c.req.raw)
      : await generationOf(backend);
    let stale: Staleness | undefined;
    const compute = async () => {
      const plan = buildDirectoryPlan(query, policy);
      const result = await backend.directory(plan);
      stale = result.stale;
      return writeJson(result, query, plan);
    };
    let answer: CachedAnswer;
    if (generation === undefined) {
      // Without a generation (an engine that cannot say) nothing is kept.
      answer = { ...(await cache.answerOf(await compute())), once: true };
    } else {
      const key = answerKey(query);
      if (keys.size >= MAX_REMEMBERED_QUERIES) keys.clear();
      keys.set(rawQuery(c.req.url), key);
      answer = cache.get(key, generation) ?? (await cache.set(key, generation, await compute()));
    }
    // The body is a DirectoryAnswer serialized once (and maybe kept); say so to the typed route.
    return serveAnswer(c, answer, stale) as unknown as TypedResponse<DirectoryAnswer, 200, "json">;
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/directory/partners/{id}",
    summary: "One public partner profile",
    request: { params: z.object({ id: partnerId }) },
    responses: {
      200: {
        description: "The public profile",
        content: { "application/json": { schema: PublicProfileSchema } },
      },
      400: {
        description: "Malformed id",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
      404: {
        description: "No listed partner with this id",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  });

  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    const { profile: p, stale } = await lookUp(c.var.deps.backend, id);
    if (!p?.directoryListed) {
      throw new ProblemError(
        "not_found",
        `no partner "${id}" in the directory`,
        {},
        staleHeaders(stale),
      );
    }
    return c.json(toPublicProfile(p, catalog, policy), 200, staleHeaders(stale));
  });

  return app;
}
