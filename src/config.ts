// The service configuration, validated by one zod schema for every entry point (process.env
// on Node, bindings on Workers). Nothing deeper reads the environment.
import { z } from "zod";
import { type CallerToken, parseCallerToken } from "./audit/caller.js";
import { DEFAULT_AUDIT_DATA_STREAM } from "./audit/elasticsearch-sink.js";
import { namedIssues } from "./lib/zod-issues.js";
import { nodeUrls } from "./search/elasticsearch/node-urls.js";

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  );

/** Bearer tokens: comma-separated, each long enough not to be guessed. */
const tokens = csv.refine((list) => list.every((t) => t.length >= 16), {
  message: "each token must be at least 16 characters",
});

/**
 * A JSON document given inline: a string (a secret or `--var`) or, from a wrangler.toml `[vars]`
 * table, an object already. Lets the Worker, which has no files, replace the policy or catalog.
 */
const inlineJson = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .optional()
  .transform((v, ctx): unknown => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `not valid JSON: ${(e as Error).message}` });
      return z.NEVER;
    }
  });

/**
 * Staff tokens, each `label:token` or a bare token (labelled `token-<6 hex of a hash>`): the
 * label names the caller in the audit trail. Tokens 16+ characters each.
 */
const callerTokens = csv.transform((list, ctx): CallerToken[] => {
  const out: CallerToken[] = [];
  list.forEach((entry, i) => {
    try {
      out.push(parseCallerToken(entry));
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `entry ${i + 1}: ${(e as Error).message}` });
    }
  });
  return out;
});

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().default("0.0.0.0"),
  PARTNERS_FILE: z.string().min(1).optional(),
  /**
   * Node, embedded engine: start from a binary snapshot (npm run build:snapshot) instead of a
   * feed: its index is stored built, so a 100k start takes about a second, not a full index.
   */
  SNAPSHOT_FILE: z.string().min(1).optional(),
  /**
   * Node, embedded engine: the append-only log each applied update is fsynced to before it is
   * acknowledged, replayed at start. Default `${PARTNERS_FILE}.updates.ndjson`; with the bundled
   * sample and no value, none (updates are memory-only). See updateLogFileOf.
   */
  UPDATE_LOG_FILE: z.string().min(1).optional(),
  /** The log is compacted at start (newest line per id) past this many lines or bytes. */
  UPDATE_LOG_COMPACT_LINES: z.coerce.number().int().min(1).default(20_000),
  UPDATE_LOG_COMPACT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024 * 1024),
  /** Node, embedded engine: apply a new version of PARTNERS_FILE when it changes on disk. */
  WATCH_PARTNERS_FILE: z.union([z.boolean(), z.stringbool()]).default(false),
  /** One node's URL, or the comma-separated URLs of one cluster's nodes (requests fail over). */
  ELASTICSEARCH_URL: z
    .string()
    .refine(
      (s) => nodeUrls(s).length > 0 && nodeUrls(s).every((u) => z.url().safeParse(u).success),
      { message: "expected a URL, or comma-separated URLs of one cluster's nodes" },
    )
    .optional(),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  ELASTICSEARCH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).optional(),
  /**
   * Node, Elasticsearch: `memory` keeps a last-good copy of every partner in the embedded engine
   * and answers reads from it (marked stale) while the cluster cannot answer. Off by default.
   */
  ELASTICSEARCH_FALLBACK: z.enum(["off", "memory"]).default("off"),
  /** How often the last-good copy is reloaded from the cluster (5 minutes by default). */
  ELASTICSEARCH_FALLBACK_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(300_000),
  /**
   * Replicas of each index this service or `npm run index` creates. Unset: one once the cluster
   * has a second data node, none on a single node (`auto_expand_replicas: 0-1`).
   */
  ELASTICSEARCH_REPLICAS: z.coerce.number().int().min(0).max(10).optional(),
  /**
   * How the finder reads a market on Elasticsearch: `rerank` asks the cluster for the best
   * ELASTICSEARCH_FINDER_K eligible partners by a first-stage score and ranks those exactly;
   * `exhaustive` reads the whole market (slower on large markets; the reference).
   */
  ELASTICSEARCH_FINDER_MODE: z.enum(["rerank", "exhaustive"]).default("rerank"),
  /** Partners the first stage returns for the rerank (scripts/bench/32-es-rerank.ts). */
  ELASTICSEARCH_FINDER_K: z.coerce.number().int().min(10).max(10_000).optional(),
  /**
   * Directory answers on Elasticsearch are kept while the index is unchanged, checked against
   * the node's index statistics at most this often (ms): a change made by another process (the
   * indexer, another instance) reaches answers this much later than it reaches the index. 0:
   * nothing is kept, every request searches.
   */
  ELASTICSEARCH_ANSWER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  ELASTICSEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .default("partners"),
  MATCH_API_TOKENS: callerTokens,
  /**
   * Bearer tokens for the operators' endpoint POST /v1/admin/partners (pushing feed lines); a
   * list of its own, so no staff token can change the data. Empty: the endpoint refuses all.
   */
  ADMIN_API_TOKENS: tokens,
  /** The largest body POST /v1/admin/partners reads, in bytes (256 MiB by default). */
  ADMIN_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 31)
    .default(256 * 1024 * 1024),
  /**
   * Browser origins allowed to call the public directory API cross-origin (exact origins such
   * as https://www.example.com); none by default. Staff endpoints never answer cross-origin.
   */
  CORS_ORIGINS: csv.refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
    message: "each origin is scheme://host[:port], without a path",
  }),
  MARKET_POLICY_FILE: z.string().min(1).optional(),
  CATALOG_FILE: z.string().min(1).optional(),
  /** Inline forms of the two files above, for the Worker (which cannot read files). */
  MARKET_POLICY_JSON: inlineJson,
  CATALOG_JSON: inlineJson,
  /**
   * Node: the finder's audit trail as an append-only NDJSON file, rotated past
   * AUDIT_FILE_MAX_BYTES into `.1` ... `.<AUDIT_FILE_KEEP>`. Unset: the Elasticsearch data stream
   * AUDIT_DATA_STREAM when ELASTICSEARCH_URL is set, else memory (lost at restart).
   */
  AUDIT_FILE: z.string().min(1).optional(),
  AUDIT_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  AUDIT_FILE_KEEP: z.coerce.number().int().min(1).max(100).default(5),
  AUDIT_DATA_STREAM: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "a lower-case data stream name")
    .default(DEFAULT_AUDIT_DATA_STREAM),
  LOG_LEVEL: z.enum(["silent", "info"]).default("info"),
  /** Requests a minute per client on public search and pages; 0 switches the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** Requests a minute per staff token on the staff endpoints; 0 switches the limit off. */
  STAFF_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /**
   * Signs the staff pages' session cookie (HMAC-SHA256). Unset: a random one per process or
   * isolate, so sessions end at a restart and do not carry between instances.
   */
  STAFF_SESSION_SECRET: z.string().min(32, "at least 32 characters").optional(),
  /** How long a staff sign-in lasts, in hours. */
  STAFF_SESSION_HOURS: z.coerce.number().min(0.25).max(24).default(8),
  /**
   * Behind a single-sign-on access proxy: the request header naming the signed-in person (e.g.
   * X-Auth-Request-Email), trusted only with STAFF_TRUSTED_PROXY_SECRET.
   */
  STAFF_IDENTITY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, "a header name")
    .optional(),
  /** The proxy proves itself by sending this in X-Staff-Proxy-Secret; a client cannot. */
  STAFF_TRUSTED_PROXY_SECRET: z.string().min(32, "at least 32 characters").optional(),
  /** Pushes a minute per admin token on /v1/admin/*; 0 switches the limit off. */
  ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  /**
   * Node server: a request's headers must arrive within HEADERS_TIMEOUT_MS and the whole request
   * within REQUEST_TIMEOUT_MS, or the connection is dropped (a client that sends
   * `Content-Length: 100` and 10 bytes no longer holds a socket for minutes).
   */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: { name: string; reason: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.name}: ${p.reason}`).join("; ")}`);
  }
}

export function parseConfig(env: Record<string, unknown>): Config {
  const r = ConfigSchema.safeParse(env);
  if (r.success) {
    // Checked here, not by a refinement: the Worker's schema extends ConfigSchema.
    if (r.data.WATCH_PARTNERS_FILE && !r.data.PARTNERS_FILE) {
      throw new ConfigError([
        { name: "WATCH_PARTNERS_FILE", reason: "needs PARTNERS_FILE (the file to watch)" },
      ]);
    }
    if (r.data.SNAPSHOT_FILE && r.data.PARTNERS_FILE) {
      throw new ConfigError([
        {
          name: "SNAPSHOT_FILE",
          reason:
            "set either PARTNERS_FILE (a feed) or SNAPSHOT_FILE (a binary snapshot), not both",
        },
      ]);
    }
    if (r.data.ELASTICSEARCH_FALLBACK !== "off" && !r.data.ELASTICSEARCH_URL) {
      throw new ConfigError([
        {
          name: "ELASTICSEARCH_FALLBACK",
          reason: "needs ELASTICSEARCH_URL (the embedded engine has no cluster to fall back from)",
        },
      ]);
    }
    return r.data;
  }
  throw new ConfigError(
    namedIssues(r.error.issues, "unknown setting", "(env)").map(({ name, reason }) => ({
      name,
      reason,
    })),
  );
}

/** Where the embedded engine logs its updates on Node; undefined: memory only. */
export function updateLogFileOf(config: Config): string | undefined {
  if (config.UPDATE_LOG_FILE) return config.UPDATE_LOG_FILE;
  const file = config.PARTNERS_FILE ?? config.SNAPSHOT_FILE;
  return file ? `${file}.updates.ndjson` : undefined;
}
