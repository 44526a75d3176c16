// createApp(deps): the whole HTTP API as one Hono app built from injected dependencies. Entry
// points (Node, Workers) only read configuration and call this.
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { MemoryAuditSink } from "../audit/audit-sink.js";
import { silentLogger } from "../lib/logger.js";
import { SearchUnavailableError } from "../search/backend.js";
import { bearerAuth } from "./auth.js";
import { noStore, publicCache, STALE_HEADER } from "./cache.js";
import { compression } from "./compress.js";
import type { AppDeps, AppEnv } from "./env.js";
import { POOLED_NONCE } from "./nonce.js";
import {
  ADMIN_ROUTES,
  type OpenApiDocument,
  publicDocument,
  STAFF_ROUTES,
} from "./openapi-docs.js";
import { echoedPath, ProblemError, problemBody } from "./problem.js";
import { rateLimits } from "./rate-limit.js";
import { adminRoutes } from "./routes/admin.js";
import { auditRoutes } from "./routes/audit.js";
import { directoryRoutes } from "./routes/directory.js";
import { healthRoutes } from "./routes/health.js";
import { matchRoutes } from "./routes/match.js";
import { STAFF_PAGES, staffPageRoutes } from "./routes/staff-pages.js";
import { webRoutes } from "./routes/web.js";
import { defaultStaffSessions } from "./session.js";

export const API_VERSION = "1.0.0";

export function createApp(input: AppDeps) {
  const deps = {
    clock: () => new Date(),
    logger: silentLogger,
    version: API_VERSION,
    corsOrigins: [] as readonly string[],
    compress: false,
    matchCallers: new Map<string, string>() as ReadonlyMap<string, string>,
    audit: new MemoryAuditSink(),
    ...input,
    // Without admin settings no token is accepted, so the body limit is never reached.
    admin: input.admin ?? { tokens: [], maxBodyBytes: 0 },
    staffSessions: input.staffSessions ?? defaultStaffSessions(),
  };
  const app = new OpenAPIHono<AppEnv>();

  // Outermost, so that it sees every answer, errors included. Tags become weak on a compressed
  // body, and hono/etag compares weakly: revalidation keeps working.
  if (deps.compress) app.use("*", compression(input.encoders));
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  // Every answer, API and page: no sniffing, no framing, no referrer, and a CSP that allows a
  // page nothing but its own nonce-carrying style block and script tag, same-origin links,
  // forms and fetches (the directory's script loads the next page's HTML).
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [POOLED_NONCE],
        scriptSrc: [POOLED_NONCE],
        connectSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: "DENY",
    }),
  );
  const limits = deps.rateLimits ? rateLimits(deps.rateLimits) : undefined;
  if (limits) {
    for (const path of ["/v1/directory/*", "/directory", "/partners/*", "/docs", "/openapi.json"]) {
      app.use(path, limits.public);
    }
    for (const path of STAFF_ROUTES) {
      app.use(path, path === ADMIN_ROUTES ? limits.admin : limits.staff);
    }
  }
  // Cross-origin calls: only the public directory, only from configured origins.
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use(
      "/v1/directory/*",
      cors({
        origin: [...deps.corsOrigins],
        allowMethods: ["GET", "HEAD"],
        // A page may tell its visitors that the directory shows a last-good copy.
        exposeHeaders: [STALE_HEADER],
        maxAge: 600,
      }),
    );
  }
  // Cache classes by route: public directory answers are shared, staff answers never stored.
  app.use("/v1/directory/*", publicCache());
  for (const path of STAFF_ROUTES) app.use(path, noStore());
  for (const path of STAFF_PAGES) app.use(path, noStore());

  app.route("/", healthRoutes());
  app.route("/", directoryRoutes(deps.catalog, deps.policy, { sha1Hex: input.sha1Hex }));
  app.route("/", matchRoutes(deps.catalog, deps.policy));
  app.route("/", adminRoutes(deps.catalog));
  app.route("/", auditRoutes());

  // Built on first request: every route is registered by then.
  let described: { full: OpenApiDocument; public: OpenApiDocument } | undefined;
  const documents = () => {
    if (!described) {
      const full = app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "Partner matching API",
          version: deps.version,
          description:
            "Public solutions directory search and the internal partner finder. Errors are RFC 9457 problem+json with a stable `code`.",
        },
      }) as unknown as OpenApiDocument;
      described = { full, public: publicDocument(full) };
    }
    return described;
  };
  app.get("/openapi.json", (c) => c.json(documents().public));
  app.get("/v1/staff/openapi.json", bearerAuth(), (c) => c.json(documents().full));
  app.route("/", webRoutes(deps.catalog, deps.policy));
  app.route(
    "/",
    staffPageRoutes(
      deps.catalog,
      deps.policy,
      limits ? { signIn: limits.staff, page: limits.staffPage } : undefined,
    ),
  );

  // A path that exists under other methods is a 405 naming them (RFC 9110 15.5.6), not a 404.
  let allowed: ((path: string) => string[]) | undefined;
  app.notFound((c) => {
    const path = echoedPath(c.req.url);
    allowed ??= allowedMethods(app.routes);
    const allow = allowed(new URL(c.req.url).pathname);
    if (allow.length > 0) {
      const body = problemBody("method_not_allowed", `${path} answers ${allow.join(", ")}`, {
        instance: path,
      });
      return c.json(body, 405, {
        "content-type": "application/problem+json",
        allow: allow.join(", "),
      });
    }
    const body = problemBody("not_found", `no route for ${c.req.method} ${path}`);
    return c.json(body, 404, { "content-type": "application/problem+json" });
  });

  app.onError((err, c) => {
    const instance = echoedPath(c.req.url);
    if (err instanceof ProblemError) {
      return c.json(err.toBody(instance), err.status, {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        ...err.headers,
      });
    }
    if (err instanceof SearchUnavailableError) {
      // Only a failure that a retry can cure is a 503 with Retry-After; a missing index or
      // snapshot stays missing until an operator acts, so it must not invite retries. The
      // engine's own message (index names, hosts) goes to the log, not to the caller.
      deps.logger.warn("search unavailable", { error: err.message, retryable: err.retryable });
      const headers = { "content-type": "application/problem+json", "cache-control": "no-store" };
      if (!err.retryable) {
        return c.json(
          problemBody(
            "index_unavailable",
            "the search index is missing or unreadable; an operator must rebuild it, retrying will not help",
            { instance, retryable: false },
          ),
          500,
          headers,
        );
      }
      return c.json(
        problemBody(
          "search_unavailable",
          "the search engine did not answer in time; retry shortly",
          {
            instance,
            retryable: true,
          },
        ),
        503,
        { ...headers, "retry-after": "5" },
      );
    }
    // A middleware's own answer (bearer auth's 401 problem) goes out as it was made.
    if (err instanceof HTTPException && err.res) return err.getResponse();
    // Hono's own exceptions (e.g. body limit, malformed JSON) keep their status.
    const status = (err as { status?: number }).status;
    if (status === 400) {
      return c.json(problemBody("invalid_request", err.message, { instance }), 400, {
        "content-type": "application/problem+json",
      });
    }
    deps.logger.error("unhandled error", { error: err instanceof Error ? err.stack : String(err) });
    return c.json(problemBody("internal_error", undefined, { instance }), 500, {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
    });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;

/** For a request path, the methods some route answers on it (HEAD with GET), in a fixed order. */
function allowedMethods(routes: readonly { method: string; path: string }[]) {
  const patterns = routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({
      method: r.method,
      re: new RegExp(
        `^${r.path
          .split("/")
          .map((seg) =>
            seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
          )
          .join("/")}$`,
      ),
    }));
  const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
  return (path: string): string[] => {
    const methods = new Set<string>();
    for (const p of patterns) {
      if (!p.re.test(path)) continue;
      methods.add(p.method);
      if (p.method === "GET") methods.add("HEAD");
    }
    return order.filter((m) => methods.has(m));
  };
}
