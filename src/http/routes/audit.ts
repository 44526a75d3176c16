// The finder's audit trail over HTTP: auditMatch() records every authenticated POST /v1/match
// outcome (answered, or refused by validation, policy or the engine) once the answer is made,
// and GET /v1/staff/audit reads the records back, newest first. A caller label is stored and
// shown, never a token; a failing sink is logged and never changes the answer.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AuditEntry } from "../../audit/audit-sink.js";
import { defaultCallerLabel } from "../../audit/caller.js";
import { bearerAuth } from "../auth.js";
import type { AppEnv } from "../env.js";
import { ProblemError } from "../problem.js";
import { newRouter, queryInteger } from "../validation.js";
import { problemResponseDoc } from "./schemas.js";

export const AUDIT_MAX_LIMIT = 500;
export const AUDIT_DEFAULT_LIMIT = 50;

/** The caller of a request that passed bearer auth: its label, never the token. */
function callerOf(c: Context<AppEnv>): string {
  const token = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "").trim();
  return c.var.deps.matchCallers.get(token) ?? defaultCallerLabel(token);
}

/** The answer's record: from the request as sent and the response as answered. */
async function entryOf(c: Context<AppEnv>): Promise<AuditEntry> {
  const status = c.res.status;
  let request: unknown = null;
  // 415 and 413: the body was never read (or not whole); it is not read now.
  if (status !== 415 && status !== 413) {
    try {
      const parsed: unknown = JSON.parse(await c.req.text());
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        request = parsed;
      }
    } catch {
      // empty or malformed: the answer said so
    }
  }
  const base = {
    at: c.var.deps.clock().toISOString(),
    caller: callerOf(c),
    request,
    status,
  };
  // Handed over by the route rather than read back from the response: cloning a large answer
  // and parsing it again cost every match a second copy of its body.
  const answered = c.get("matchAnswered");
  if (status === 200 && answered) return { ...base, ...answered };
  const country = (request as { customer?: { country?: unknown } } | null)?.customer?.country;
  return {
    ...base,
    market: typeof country === "string" ? country.toUpperCase() : null,
    rankingVersion: null,
    candidates: [],
  };
}

/**
 * Records the outcome of the route it wraps (placed right after bearer auth, so every
 * authenticated request is recorded and no unauthenticated one). The write is not awaited: on
 * Workers it is handed to waitUntil, elsewhere it completes on its own.
 */
export function auditMatch(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const { audit, logger } = c.var.deps;
    const failed = (e: unknown) =>
      logger.warn("audit record not stored", {
        sink: audit.describe().kind,
        error: e instanceof Error ? e.message : String(e),
      });
    let pending: Promise<void>;
    try {
      pending = audit.record(await entryOf(c)).catch(failed);
    } catch (e) {
      failed(e);
      return;
    }
    try {
      c.executionCtx.waitUntil(pending);
    } catch {
      // no execution context (Node, tests): the write finishes on its own
    }
  };
}

const CandidateRecord = z.object({ id: z.string(), score: z.number() });
const AuditRecordSchema = z
  .object({
    at: z.string().openapi({ description: "When it was answered, ISO 8601 UTC" }),
    caller: z.string().openapi({ description: "The caller's label from MATCH_API_TOKENS" }),
    market: z.string().nullable(),
    request: z.unknown().openapi({ description: "The request body as sent; null if unreadable" }),
    status: z.number().int().openapi({ description: "The status answered" }),
    rankingVersion: z.string().nullable(),
    candidates: z.array(CandidateRecord),
    teams: z
      .array(z.object({ partners: z.array(z.string()), score: z.number() }))
      .optional()
      .openapi({ description: "The teams answered, for a request naming two or more needs" }),
  })
  .openapi("AuditRecord");

export function auditRoutes() {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/staff/audit",
      summary: "The partner finder's audit trail: match requests answered or refused, newest first",
      security: [{ bearer: [] }],
      middleware: [bearerAuth()] as const,
      request: {
        query: z
          .object({
            limit: queryInteger("limit", 1, AUDIT_MAX_LIMIT)
              .optional()
              .openapi({ description: `1..${AUDIT_MAX_LIMIT}, default ${AUDIT_DEFAULT_LIMIT}` }),
            since: z.iso
              .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
              .optional()
              .openapi({ description: "Only records at or after this instant" }),
          })
          .strict(),
      },
      responses: {
        200: {
          description: "The records, newest first, and where they are kept",
          content: {
            "application/json": {
              schema: z.object({
                records: z.array(AuditRecordSchema),
                sink: z.string().openapi({ description: "file, elasticsearch or memory" }),
              }),
            },
          },
        },
        400: problemResponseDoc("An unknown parameter, a bad limit or since"),
        401: problemResponseDoc("Missing or invalid bearer token"),
        503: problemResponseDoc("The audit sink cannot be read now (file, cluster)"),
      },
    }),
    async (c) => {
      const { limit, since } = c.req.valid("query");
      const { audit, logger } = c.var.deps;
      const records = await audit
        .recent({
          limit: limit ?? AUDIT_DEFAULT_LIMIT,
          ...(since ? { since: new Date(since) } : {}),
        })
        .catch((e: unknown) => {
          // Where it failed (a path, a cluster's message) goes to the log, not to the caller.
          logger.warn("audit trail unreadable", {
            sink: audit.describe().kind,
            error: e instanceof Error ? e.message : String(e),
          });
          throw new ProblemError(
            "audit_unavailable",
            "the audit trail could not be read; retry shortly",
            { retryable: true },
            { "retry-after": "5" },
          );
        });
      return c.json({ records, sink: audit.describe().kind }, 200);
    },
  );
  return app;
}
