// The one composition root: from a validated configuration to everything createApp needs
// (catalog, policy, backend, tokens, logger). Node and the Worker differ only in the runtime
// they hand in: how a file is read (the Worker has none) and how each backend is built there.
// A setting that cannot be used ends as a ConfigError naming it, never as a stack trace.
import type { Context } from "hono";
import { type AuditSink, MemoryAuditSink } from "./audit/audit-sink.js";
import type { FileAuditOptions } from "./audit/file-sink.js";
import { buildCatalog, type Catalog, defaultCatalog } from "./catalog/catalog.js";
import { buildPolicy, defaultPolicy, type MarketPolicy } from "./catalog/policy.js";
import { type Config, ConfigError } from "./config.js";
import type { AppDeps, StaffSessionSettings } from "./http/env.js";
import { randomSecret } from "./http/session.js";
import { consoleLogger, type Logger, silentLogger } from "./lib/logger.js";
import type { SearchBackend } from "./search/backend.js";

export interface BackendContext {
  catalog: Catalog;
  policy: MarketPolicy;
  logger: Logger;
}

export interface ElasticsearchSettings {
  url: string;
  apiKey?: string;
  alias: string;
  requestTimeoutMs?: number;
  /** ELASTICSEARCH_FALLBACK=memory: keep a last-good copy, reloaded this often. */
  fallback?: { refreshMs: number };
  replicas?: number;
  finderMode?: "rerank" | "exhaustive";
  finderK?: number;
  answerCacheMs?: number;
}

/** What differs between the runtimes the service runs on. */
export interface Runtime {
  /** The client's address for the abuse limits. */
  clientAddress(c: Context): string | undefined;
  /** Reads a UTF-8 file; absent where there are no files (Workers). */
  readFile?: (path: string) => string;
  /** The embedded backend, filled from the runtime's partner data. */
  embedded(ctx: BackendContext): Promise<SearchBackend>;
  /**
   * The embedded backend is a deployed snapshot, one copy per isolate (Workers): pushed updates
   * would reach one isolate only, so the admin endpoint refuses them.
   */
  embeddedIsSnapshot?: boolean;
  elasticsearch(settings: ElasticsearchSettings, ctx: BackendContext): Promise<SearchBackend>;
  /** The audit trail as a file; absent where there are no files (Workers). */
  auditFile?: (options: FileAuditOptions) => AuditSink;
  /** The audit trail in an Elasticsearch data stream, through this runtime's client. */
  auditElasticsearch?: (settings: ElasticsearchSettings, dataStream: string) => Promise<AuditSink>;
}

export type Deps = AppDeps & { logger: Logger; audit: AuditSink };

export async function buildDeps(config: Config, runtime: Runtime): Promise<Deps> {
  const logger = config.LOG_LEVEL === "silent" ? silentLogger : consoleLogger;
  const catalog = setting(config.CATALOG_FILE ? "CATALOG_FILE" : "CATALOG_JSON", () => {
    const raw = jsonOf(config.CATALOG_FILE, config.CATALOG_JSON, runtime);
    return raw === undefined ? defaultCatalog() : buildCatalog(raw);
  });
  const policy = setting(
    config.MARKET_POLICY_FILE ? "MARKET_POLICY_FILE" : "MARKET_POLICY_JSON",
    () => {
      const raw = jsonOf(config.MARKET_POLICY_FILE, config.MARKET_POLICY_JSON, runtime);
      return raw === undefined ? defaultPolicy(catalog) : buildPolicy(raw, catalog);
    },
  );
  // A token in both lists would let staff change the data: the lists must be disjoint.
  setting("ADMIN_API_TOKENS", () => {
    const staff = new Set(config.MATCH_API_TOKENS.map((t) => t.token));
    if (config.ADMIN_API_TOKENS.some((t) => staff.has(t))) {
      throw new Error("a token may not also be in MATCH_API_TOKENS: staff tokens cannot push data");
    }
  });
  const staffSessions = setting("STAFF_IDENTITY_HEADER", () => staffSessionsOf(config, logger));
  const ctx = { catalog, policy, logger };
  const es = elasticsearchSettings(config);
  let backend: SearchBackend;
  if (es) {
    logger.info("search backend", { backend: "elasticsearch", alias: config.ELASTICSEARCH_INDEX });
    backend = await runtime.elasticsearch(es, ctx);
  } else {
    backend = await runtime.embedded(ctx);
  }
  const audit = await auditSink(config, runtime, es);
  logger.info("audit trail", { ...audit.describe() });
  return {
    backend,
    catalog,
    policy,
    matchTokens: config.MATCH_API_TOKENS.map((t) => t.token),
    matchCallers: new Map(config.MATCH_API_TOKENS.map((t) => [t.token, t.label])),
    audit,
    admin: {
      tokens: config.ADMIN_API_TOKENS,
      maxBodyBytes: config.ADMIN_MAX_BODY_BYTES,
      readOnlySnapshot: !config.ELASTICSEARCH_URL && Boolean(runtime.embeddedIsSnapshot),
    },
    corsOrigins: config.CORS_ORIGINS,
    staffSessions,
    rateLimits: {
      publicPerMinute: config.RATE_LIMIT_PER_MINUTE,
      staffPerMinute: config.STAFF_RATE_LIMIT_PER_MINUTE,
      adminPerMinute: config.ADMIN_RATE_LIMIT_PER_MINUTE,
      clientAddress: runtime.clientAddress,
    },
    logger,
  };
}

/**
 * The staff pages' sessions. Without STAFF_SESSION_SECRET a random key is made here (per process
 * on Node, per isolate on Workers): it works, but a restart signs everyone out and two instances
 * do not accept each other's cookies, so it is said once in the log.
 */
function staffSessionsOf(config: Config, logger: Logger): StaffSessionSettings {
  if (config.STAFF_IDENTITY_HEADER && !config.STAFF_TRUSTED_PROXY_SECRET) {
    throw new Error(
      "needs STAFF_TRUSTED_PROXY_SECRET: without it any client could send the header and be signed in as anyone",
    );
  }
  let secret = config.STAFF_SESSION_SECRET;
  if (!secret) {
    secret = randomSecret();
    logger.warn(
      "STAFF_SESSION_SECRET is unset: staff sessions use a random key of this instance; they end at a restart and are not accepted by other instances",
    );
  }
  return {
    secret,
    ttlSeconds: Math.round(config.STAFF_SESSION_HOURS * 3600),
    ...(config.STAFF_IDENTITY_HEADER ? { identityHeader: config.STAFF_IDENTITY_HEADER } : {}),
    ...(config.STAFF_TRUSTED_PROXY_SECRET
      ? { proxySecret: config.STAFF_TRUSTED_PROXY_SECRET }
      : {}),
  };
}

function elasticsearchSettings(config: Config): ElasticsearchSettings | undefined {
  if (!config.ELASTICSEARCH_URL) return undefined;
  return {
    url: config.ELASTICSEARCH_URL,
    alias: config.ELASTICSEARCH_INDEX,
    ...(config.ELASTICSEARCH_API_KEY ? { apiKey: config.ELASTICSEARCH_API_KEY } : {}),
    ...(config.ELASTICSEARCH_REQUEST_TIMEOUT_MS
      ? { requestTimeoutMs: config.ELASTICSEARCH_REQUEST_TIMEOUT_MS }
      : {}),
    ...(config.ELASTICSEARCH_FALLBACK === "memory"
      ? { fallback: { refreshMs: config.ELASTICSEARCH_FALLBACK_REFRESH_MS } }
      : {}),
    ...(config.ELASTICSEARCH_REPLICAS !== undefined
      ? { replicas: config.ELASTICSEARCH_REPLICAS }
      : {}),
    finderMode: config.ELASTICSEARCH_FINDER_MODE,
    ...(config.ELASTICSEARCH_FINDER_K !== undefined
      ? { finderK: config.ELASTICSEARCH_FINDER_K }
      : {}),
    answerCacheMs: config.ELASTICSEARCH_ANSWER_CACHE_MS,
  };
}

/**
 * Where the finder's audit records go: AUDIT_FILE when set (an explicit choice), else the
 * Elasticsearch data stream when the backend is Elasticsearch, else memory.
 */
async function auditSink(
  config: Config,
  runtime: Runtime,
  es: ElasticsearchSettings | undefined,
): Promise<AuditSink> {
  const file = config.AUDIT_FILE;
  if (file) {
    return setting("AUDIT_FILE", () => {
      if (!runtime.auditFile) throw new Error("this runtime cannot write files");
      return runtime.auditFile({
        file,
        maxBytes: config.AUDIT_FILE_MAX_BYTES,
        keep: config.AUDIT_FILE_KEEP,
      });
    });
  }
  if (es && runtime.auditElasticsearch) {
    return runtime.auditElasticsearch(es, config.AUDIT_DATA_STREAM);
  }
  return new MemoryAuditSink();
}

/** The document a file setting names, else its inline form, else undefined (the bundled one). */
function jsonOf(file: string | undefined, inline: unknown, runtime: Runtime): unknown {
  if (file !== undefined) {
    if (!runtime.readFile) throw new Error("this runtime cannot read files");
    const text = runtime.readFile(file);
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return inline;
}

function setting<T>(name: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw new ConfigError([{ name, reason: e instanceof Error ? e.message : String(e) }]);
  }
}
