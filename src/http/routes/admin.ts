// POST /v1/admin/partners: operators push feed lines (CONTRACT section 1, tombstones included)
// into the running service. The body is streamed through the one line splitter and the feed's
// own rules (FeedAccumulator: validation, one id once per push, newer line wins), so the text
// is never held whole; only once the whole body has arrived within its size limit are the
// accepted entries applied, in batches, to the backend, which orders versions by updatedAt.
// Behind its own token list (ADMIN_API_TOKENS): a staff token cannot change the data.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Catalog } from "../../catalog/catalog.js";
import {
  FeedAccumulator,
  type FeedReject,
  lineTooLong,
  MAX_LINE_BYTES,
} from "../../partner/feed.js";
import type { FeedEntry } from "../../partner/schema.js";
import { type ApplySummary, addSummary, type SearchBackend } from "../../search/backend.js";
import { bearerAuth } from "../auth.js";
import type { AppEnv } from "../env.js";
import { BodyTooLargeError, ndjsonLines, TOO_LONG } from "../ndjson-body.js";
import { fieldProblem, ProblemError } from "../problem.js";
import { newRouter, quoted } from "../validation.js";
import { problemResponseDoc } from "./schemas.js";

export const ADMIN_PARTNERS_PATH = "/v1/admin/partners";
/** Rejects listed in an answer (the lowest line numbers); `rejected` counts them all. */
export const MAX_LISTED_REJECTS = 1_000;
/** The NDJSON media types a push may be sent as (with `charset=utf-8` or no charset). */
export const NDJSON_MEDIA_TYPES = ["application/x-ndjson", "application/ndjson"] as const;
/**
 * A line is read at most this far: one with more bytes has more than MAX_LINE_BYTES UTF-16
 * units (a unit never takes more than 3 bytes), so the feed parser would refuse it anyway.
 */
const LINE_READ_LIMIT = 3 * MAX_LINE_BYTES + 3;

const RejectSchema = z
  .object({
    line: z.number().int().openapi({ description: "1-based line of the pushed body" }),
    id: z.string().optional(),
    path: z.string().openapi({ description: "The offending field, `(root)` for the whole line" }),
    reason: z.string(),
  })
  .openapi("FeedReject");

const PushSummarySchema = z
  .object({
    lines: z.number().int().openapi({ description: "Lines in the body, blank ones included" }),
    indexed: z.number().int().openapi({ description: "Partners new to the service" }),
    updated: z.number().int(),
    deleted: z.number().int(),
    stale: z.number().int().openapi({
      description: "Entries not newer (updatedAt) than what the service holds: skipped",
    }),
    rejected: z.number().int().openapi({ description: "All rejects, listed or not" }),
    rejects: z.array(RejectSchema).openapi({
      description: `The first ${MAX_LISTED_REJECTS} rejects by line (several per line possible)`,
    }),
    elapsedMs: z.number().int(),
  })
  .openapi("PushSummary");

export type PushSummary = z.infer<typeof PushSummarySchema>;

/** A push read to its end: what to apply, and what was refused. */
export interface ReadPush {
  lines: number;
  entries: FeedEntry[];
  rejected: number;
  rejects: FeedReject[];
}

/** Reads a pushed body under the feed's rules; throws BodyTooLargeError past `maxBytes`. */
export async function readPush(
  body: ReadableStream<Uint8Array> | null,
  catalog: Catalog,
  maxBytes: number,
): Promise<ReadPush> {
  const rejects = new FirstRejects(MAX_LISTED_REJECTS);
  const feed = new FeedAccumulator(catalog, { onReject: (r) => rejects.add(r) });
  let line = 0;
  for await (const text of ndjsonLines(body, { maxBytes, maxLineBytes: LINE_READ_LIMIT })) {
    line++;
    if (text === TOO_LONG) rejects.add(lineTooLong(line));
    else feed.push(text, line);
  }
  return {
    lines: line,
    entries: feed.result().entries,
    rejected: rejects.total,
    rejects: rejects.list(),
  };
}

/**
 * Applies entries in the backend's batches (Elasticsearch: one bulk request each; the embedded
 * engine takes a push in one call, so readers see all of it or none). A batch applied stays
 * applied if a later one fails.
 */
export async function applyInBatches(
  backend: SearchBackend,
  entries: readonly FeedEntry[],
): Promise<ApplySummary> {
  const sum: ApplySummary = { indexed: 0, updated: 0, deleted: 0, stale: 0 };
  const batch = backend.maxApplyBatch ?? Math.max(1, entries.length);
  for (let at = 0; at < entries.length; at += batch) {
    const s = await backend.apply(entries.slice(at, at + batch));
    addSummary(sum, s);
  }
  return sum;
}

/**
 * The rejects with the lowest line numbers, in line order, at most `cap` held at a time (a
 * duplicate id reports its earlier line late, so arrival order is not line order).
 */
class FirstRejects {
  private held: FeedReject[] = [];
  total = 0;

  constructor(private readonly cap: number) {}

  add(r: FeedReject): void {
    this.total++;
    this.held.push(r);
    if (this.held.length >= 2 * this.cap) this.trim();
  }

  list(): FeedReject[] {
    this.trim();
    return this.held;
  }

  private trim(): void {
    // Stable: the rejects of one line keep the order the parser gave them.
    this.held.sort((a, b) => a.line - b.line);
    if (this.held.length > this.cap) this.held.length = this.cap;
  }
}

function tooLarge(maxBytes: number) {
  return fieldProblem("payload_too_large", {
    name: "(body)",
    in: "body",
    reason: `larger than ${maxBytes} bytes (ADMIN_MAX_BODY_BYTES); split the feed into several pushes`,
  });
}

/** The checks before a byte of the body is read, each its own problem. */
function pushChecks() {
  const writable: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.var.deps.admin.readOnlySnapshot) {
      throw new ProblemError(
        "read_only_snapshot",
        "this Worker serves the embedded snapshot, one copy per isolate, so a pushed update would " +
          "reach one isolate only: deploy a new snapshot (npm run deploy) or bind ELASTICSEARCH_URL",
      );
    }
    await next();
  };
  const ndjsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    const type = c.req.header("content-type");
    if (!type || !isNdjson(type)) {
      throw fieldProblem("unsupported_media_type", {
        name: "content-type",
        in: "header",
        reason: `must be ${NDJSON_MEDIA_TYPES.join(" or ")} (got ${type === undefined ? "none" : quoted(type)})`,
      });
    }
    await next();
  };
  const declaredSize: MiddlewareHandler<AppEnv> = async (c, next) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > c.var.deps.admin.maxBodyBytes) throw tooLarge(c.var.deps.admin.maxBodyBytes);
    await next();
  };
  return [writable, ndjsonOnly, declaredSize] as const;
}

/** An NDJSON media type, UTF-8 (the only charset a feed has) or no charset given. */
function isNdjson(contentType: string): boolean {
  const [essence = "", ...params] = contentType.split(";").map((p) => p.trim().toLowerCase());
  if (!(NDJSON_MEDIA_TYPES as readonly string[]).includes(essence)) return false;
  return params.every((p) => !p.startsWith("charset=") || /^charset="?utf-8"?$/.test(p));
}

export function adminRoutes(catalog: Catalog) {
  const app = newRouter();

  app.openAPIRegistry.registerComponent("securitySchemes", "adminBearer", {
    type: "http",
    scheme: "bearer",
    description: "A token from ADMIN_API_TOKENS (staff tokens are refused)",
  });

  const feedBody = z.string().openapi({
    description:
      "Feed lines (CONTRACT section 1), one profile or tombstone (`deleted: true`) per line, UTF-8",
  });

  app.openapi(
    createRoute({
      method: "post",
      path: ADMIN_PARTNERS_PATH,
      summary: "Push feed lines (upserts and deletes) into the running service",
      description:
        "The body is read as it arrives and validated line by line like a feed file: a bad line is reported with its 1-based line number and never stops the rest; an id given twice keeps its newer line. Once the whole body is read, accepted entries are applied in batches; an entry not newer (updatedAt) than what the service holds counts as stale. A body over ADMIN_MAX_BODY_BYTES applies nothing. Replaying a push is harmless. Never cached.",
      security: [{ adminBearer: [] }],
      middleware: [bearerAuth("admin"), ...pushChecks()] as const,
      request: {
        body: {
          required: true,
          content: Object.fromEntries(NDJSON_MEDIA_TYPES.map((t) => [t, { schema: feedBody }])),
        },
      },
      responses: {
        200: {
          description: "What was applied, and the rejected lines",
          content: { "application/json": { schema: PushSummarySchema } },
        },
        401: problemResponseDoc("Missing or invalid admin token (a staff token is invalid here)"),
        409: problemResponseDoc(
          "The deployment serves a read-only snapshot (Workers without Elasticsearch)",
        ),
        413: problemResponseDoc("Body larger than ADMIN_MAX_BODY_BYTES; nothing was applied"),
        415: problemResponseDoc(`Body is not ${NDJSON_MEDIA_TYPES.join(" or ")}`),
        429: problemResponseDoc("More pushes a minute than the staff rate limit allows"),
        500: problemResponseDoc("The index is missing or refused the writes"),
        503: problemResponseDoc("Search engine unavailable; batches already applied stay applied"),
      },
    }),
    async (c) => {
      const { backend, admin, logger } = c.var.deps;
      const started = performance.now();
      let push: ReadPush;
      try {
        push = await readPush(c.req.raw.body, catalog, admin.maxBodyBytes);
      } catch (e) {
        if (e instanceof BodyTooLargeError) throw tooLarge(e.limit);
        throw e;
      }
      const applied = await applyInBatches(backend, push.entries);
      const summary: PushSummary = {
        lines: push.lines,
        ...applied,
        rejected: push.rejected,
        rejects: push.rejects,
        elapsedMs: Math.round(performance.now() - started),
      };
      const { rejects: _listed, ...logged } = summary;
      logger.info("admin push applied", { ...logged });
      return c.json(summary, 200);
    },
  );

  return app;
}
