// Liveness and readiness. Like every JSON route they take no parameter they do not declare: an
// unknown query parameter is a 400 naming it.
import { createRoute, z } from "@hono/zod-openapi";
import type { Readiness } from "../../search/backend.js";
import { newRouter } from "../validation.js";
import { ProblemSchema } from "./schemas.js";

/** No query parameters: the empty strict object makes any given one a 400. */
const noQuery = z.object({}).strict();
const unknownParameter = {
  description: "An unknown query parameter",
  content: { "application/problem+json": { schema: ProblemSchema } },
};

export function healthRoutes() {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      summary: "The process is up",
      request: { query: noQuery },
      responses: {
        200: {
          description: "Up",
          content: {
            "application/json": {
              schema: z.object({ status: z.literal("ok"), version: z.string() }),
            },
          },
        },
        400: unknownParameter,
      },
    }),
    (c) => c.json({ status: "ok" as const, version: c.var.deps.version }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/readyz",
      summary: "The backend is reachable and the index is loaded",
      request: { query: noQuery },
      responses: {
        200: {
          description:
            "Ready; `degraded` when the search engine is unreachable and a last-good copy answers (ELASTICSEARCH_FALLBACK)",
          content: {
            "application/json": {
              schema: z.object({
                status: z.enum(["ready", "degraded"]),
                degraded: z.string().optional(),
                backend: z.string(),
                details: z.record(z.string(), z.unknown()),
              }),
            },
          },
        },
        400: unknownParameter,
        503: {
          description: "Not ready",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) => {
      const r: Readiness = await c.var.deps.backend.readiness().catch((e: unknown) => ({
        ready: false,
        backend: c.var.deps.backend.kind,
        details: { error: e instanceof Error ? e.message : String(e) },
      }));
      if (!r.ready) {
        return c.json(
          {
            type: "/docs#problem-not_ready",
            title: "The service is not ready",
            status: 503,
            code: "not_ready",
            backend: r.backend,
            details: r.details,
          },
          503,
          { "content-type": "application/problem+json", "cache-control": "no-store" },
        );
      }
      // Where the finder's audit records go: not a readiness condition, but said here.
      const details = { ...r.details, audit: c.var.deps.audit.describe() };
      if (r.degraded) {
        const body = { status: "degraded" as const, degraded: r.degraded };
        return c.json({ ...body, backend: r.backend, details }, 200);
      }
      return c.json({ status: "ready" as const, backend: r.backend, details }, 200);
    },
  );

  return app;
}
