// Liveness, readiness and the API description.
import { createRoute, z } from "@hono/zod-openapi";
import { newRouter } from "../validation.js";
import { ProblemSchema } from "./schemas.js";

export function healthRoutes() {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      summary: "The process is up",
      responses: {
        200: {
          description: "Up",
          content: {
            "application/json": {
              schema: z.object({ status: z.literal("ok"), version: z.string() }),
            },
          },
        },
      },
    }),
    (c) => c.json({ status: "ok" as const, version: c.var.deps.version }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/readyz",
      summary: "The backend is reachable and the index is loaded",
      responses: {
        200: {
          description: "Ready",
          content: {
            "application/json": {
              schema: z.object({
                status: z.literal("ready"),
                backend: z.string(),
                details: z.record(z.string(), z.unknown()),
              }),
            },
          },
        },
        503: {
          description: "Not ready",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) => {
      const r = await c.var.deps.backend.readiness().catch((e: unknown) => ({
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
      return c.json({ status: "ready" as const, backend: r.backend, details: r.details }, 200);
    },
  );

  return app;
}
