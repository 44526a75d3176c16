// Public directory search and profile lookup (CONTRACT.md section 2). Query parameters are
// validated strictly: an unknown parameter or a value outside the catalog is a 400 naming it,
// never silently ignored.
import { createRoute, z } from "@hono/zod-openapi";
import type { Catalog, CodeKind } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import {
  PublicProfileSchema,
  type RankedPublicProfile,
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
} from "../../ranking/directory.js";
import type { DirectoryResult, SearchBackend } from "../../search/backend.js";
import { type FieldError, fieldErrors, ProblemError } from "../problem.js";
import { describe, newRouter, queryArrays } from "../validation.js";
import { ProblemSchema } from "./schemas.js";

/** One value of a repeatable parameter, checked against the catalog. */
function codeParam(catalog: Catalog, field: Exclude<FilterField, "accredited">) {
  const kind = FILTER_FIELD_KIND[field];
  const set = catalog.codes[kind];
  const norm = kind === "country" ? (s: string) => s.toUpperCase() : (s: string) => s;
  return z
    .string()
    .transform(norm)
    .refine((v) => set.has(v), {
      error: (iss) =>
        String(iss.input).includes(",")
          ? `"${String(iss.input)}" is not a ${kind} code; repeat the parameter for OR (${field}=a&${field}=b)`
          : `unknown ${kind} code "${String(iss.input)}"`,
    });
}

const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d{1,9}$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export function directoryQuerySchema(catalog: Catalog, policy: MarketPolicy) {
  const dp = policy.data.directory;
  const many = <T extends z.ZodType>(item: T, field: string) =>
    z.array(item).max(50, `at most 50 values of ${field}`).optional();
  const one = <T extends z.ZodType>(item: T, name: string) =>
    z
      .array(item)
      .max(1, `${name} may be given once`)
      .optional()
      .transform((a) => a?.[0] as z.output<T> | undefined);
  return z
    .object({
      q: one(
        z.string().trim().max(dp.maxQueryLength, `at most ${dp.maxQueryLength} characters`),
        "q",
      ),
      country: many(codeParam(catalog, "country"), "country"),
      language: many(codeParam(catalog, "language"), "language"),
      industry: many(codeParam(catalog, "industry"), "industry"),
      service: many(codeParam(catalog, "service"), "service"),
      product: many(codeParam(catalog, "product"), "product"),
      customerSize: many(codeParam(catalog, "customerSize"), "customerSize"),
      tier: many(codeParam(catalog, "tier"), "tier"),
      accredited: one(
        z.enum(["true", "false"], { error: 'must be "true" or "false"' }),
        "accredited",
      ),
      page: one(intParam(1, 10_000), "page"),
      pageSize: one(intParam(1, dp.maxPageSize), "pageSize"),
      sort: one(
        z.enum(DIRECTORY_SORTS, { error: `must be one of ${DIRECTORY_SORTS.join(", ")}` }),
        "sort",
      ),
    })
    .strict()
    .superRefine((q, ctx) => {
      const page = q.page ?? 1;
      const size = q.pageSize ?? dp.defaultPageSize;
      if (page * size > 10_000) {
        ctx.addIssue({
          code: "custom",
          path: ["page"],
          message: "results beyond the first 10,000 are not served; narrow the search",
        });
      }
    });
}

/** The OpenAPI view of the query: each parameter documented, repeatable ones as arrays. */
function openApiQuery(catalog: Catalog, policy: MarketPolicy) {
  const codes = (kind: CodeKind) => z.array(z.enum(catalog.lists[kind] as [string, ...string[]]));
  return z.object({
    q: z
      .string()
      .max(policy.data.directory.maxQueryLength)
      .optional()
      .openapi({ description: "Free text over name, description, services and city." }),
    country: codes("country")
      .optional()
      .openapi({ description: "ISO 3166-1 alpha-2; located in or serving. Repeat for OR." }),
    language: codes("language").optional().openapi({ description: "ISO 639-1. Repeat for OR." }),
    industry: codes("industry").optional(),
    service: codes("service").optional(),
    product: codes("product").optional(),
    customerSize: codes("customerSize").optional(),
    tier: codes("tier").optional(),
    accredited: z.enum(["true", "false"]).optional(),
    page: z.string().optional().openapi({ description: "From 1." }),
    pageSize: z
      .string()
      .optional()
      .openapi({ description: `1..${policy.data.directory.maxPageSize}` }),
    sort: z
      .enum(DIRECTORY_SORTS)
      .optional()
      .openapi({ description: "relevance (default): accredited first." }),
  });
}

export interface DirectoryAnswer {
  total: number;
  page: number;
  pageSize: number;
  results: RankedPublicProfile[];
  facets: DirectoryResult["facets"];
}

/**
 * Validates a directory URL's query and runs it: shared by the JSON API and the web page so
 * both accept and answer exactly the same searches.
 */
export function directorySearcher(catalog: Catalog, policy: MarketPolicy) {
  const querySchema = directoryQuerySchema(catalog, policy);
  return async (
    backend: SearchBackend,
    url: string,
  ): Promise<
    { ok: true; body: DirectoryAnswer; query: DirectoryQuery } | { ok: false; errors: FieldError[] }
  > => {
    const r = querySchema.safeParse(queryArrays(url));
    if (!r.success) return { ok: false, errors: fieldErrors(r.error.issues, "query") };
    const q = r.data;
    const filters: DirectoryQuery["filters"] = {};
    for (const f of FILTER_FIELDS) {
      const v = f === "accredited" ? (q.accredited ? [q.accredited] : undefined) : q[f];
      if (v && v.length > 0) filters[f] = v;
    }
    const query: DirectoryQuery = {
      ...(q.q ? { q: q.q } : {}),
      filters,
      page: q.page ?? 1,
      pageSize: q.pageSize ?? policy.data.directory.defaultPageSize,
      sort: q.sort ?? "relevance",
    };
    const plan = buildDirectoryPlan(query, policy);
    const result = await backend.directory(plan);
    return {
      ok: true,
      query,
      body: {
        total: result.total,
        page: query.page,
        pageSize: query.pageSize,
        results: result.hits.map((h, i) => ({
          ...toPublicProfile(h.profile, catalog, policy),
          rank: plan.from + i + 1,
        })),
        facets: result.facets,
      },
    };
  };
}

export function directoryRoutes(catalog: Catalog, policy: MarketPolicy) {
  const app = newRouter();
  const facetsSchema = z.record(z.string(), z.record(z.string(), z.number().int()));

  const search = createRoute({
    method: "get",
    path: "/v1/directory/partners",
    summary: "Search the public solutions directory",
    description:
      "A repeated parameter means OR within that field; different fields AND. With sort=relevance, accredited partners that match come first. Facet counts are disjunctive.",
    request: { query: openApiQuery(catalog, policy) },
    responses: {
      200: {
        description: "A page of partners with facet counts",
        content: {
          "application/json": {
            schema: z.object({
              total: z.number().int(),
              page: z.number().int(),
              pageSize: z.number().int(),
              results: z.array(RankedPublicProfileSchema),
              facets: facetsSchema,
            }),
          },
        },
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

  // Validation runs on every value of every parameter (searchParams), not on the first only,
  // so the route is documented in the registry and served by a plain handler.
  app.openAPIRegistry.registerPath(search);
  const searchDirectory = directorySearcher(catalog, policy);
  app.get("/v1/directory/partners", async (c) => {
    const answer = await searchDirectory(c.var.deps.backend, c.req.url);
    if (!answer.ok) {
      throw new ProblemError("invalid_request", describe(answer.errors), { errors: answer.errors });
    }
    return c.json(answer.body, 200);
  });

  const getOne = createRoute({
    method: "get",
    path: "/v1/directory/partners/{id}",
    summary: "One public partner profile",
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: {
        description: "The public profile",
        content: { "application/json": { schema: PublicProfileSchema } },
      },
      404: {
        description: "No listed partner with this id",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  });

  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    const p = await c.var.deps.backend.get(id);
    if (!p?.directoryListed) {
      throw new ProblemError("not_found", `no partner "${id}" in the directory`);
    }
    return c.json(toPublicProfile(p, catalog, policy), 200);
  });

  return app;
}
