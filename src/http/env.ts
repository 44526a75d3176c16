// The typed Hono environment: handlers take their services from `c.var`, never from globals.
import type { AuditSink } from "../audit/audit-sink.js";
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Logger } from "../lib/logger.js";
import type { SearchBackend } from "../search/backend.js";
import type { BodyEncoders, CachedAnswer, Sha1Hex } from "./answer-cache.js";
import type { RateLimits } from "./rate-limit.js";

export interface AppDeps {
  backend: SearchBackend;
  catalog: Catalog;
  policy: MarketPolicy;
  /** Bearer tokens accepted by the staff endpoints; empty means staff endpoints refuse all. */
  matchTokens: readonly string[];
  /** Staff token -> the caller's label in the audit trail; a token not here gets a hash label. */
  matchCallers?: ReadonlyMap<string, string>;
  /** Where the finder's audit records go; default: a bounded ring in memory. */
  audit?: AuditSink;
  /** The operators' push endpoint (POST /v1/admin/partners); absent: it refuses every request. */
  admin?: AdminSettings;
  /** Origins allowed to call the public directory API from a browser; empty: none. */
  corsOrigins?: readonly string[];
  /** The staff pages' sign-in; absent: a random signing key per app, 8-hour sessions. */
  staffSessions?: StaffSessionSettings;
  /** Abuse limits per client; absent: none (tests build apps without them). */
  rateLimits?: RateLimits;
  /**
   * Compress answers (gzip/deflate) for clients that accept it. The Node entry turns it on; on
   * Workers the platform compresses, and a body compressed here would be compressed again.
   */
  compress?: boolean;
  /**
   * With `compress`: the runtime's encoders for cached answers (Node: node:zlib's gzip and
   * brotli, sync); absent, cached answers are gzipped once by CompressionStream.
   */
  encoders?: BodyEncoders;
  /** The runtime's SHA-1 for answer tags (Node: node:crypto, sync); absent: Web Crypto's. */
  sha1Hex?: Sha1Hex;
  clock?: () => Date;
  logger?: Logger;
  /** Shown in /healthz and the OpenAPI document. */
  version?: string;
}

export interface StaffSessionSettings {
  /** HMAC key of the session cookie. */
  secret: string;
  /** How long a sign-in lasts. */
  ttlSeconds: number;
  /**
   * Single sign-on through an access proxy: the header naming the signed-in person, believed
   * only on a request that also carries the proxy's secret.
   */
  identityHeader?: string;
  proxySecret?: string;
}

export interface AdminSettings {
  /** Bearer tokens accepted by the admin endpoints; never a staff token. Empty: refuse all. */
  tokens: readonly string[];
  /** The largest body a push may have, in bytes. */
  maxBodyBytes: number;
  /**
   * The backend is a deployed snapshot with one copy per Worker isolate: a push could reach one
   * isolate only, so pushes are refused (409 read_only_snapshot).
   */
  readOnlySnapshot?: boolean;
}

export interface AppVariables {
  /** Set by hono/secure-headers: the CSP nonce a page's own style block carries. */
  secureHeadersNonce?: string;
  deps: Required<Omit<AppDeps, "version" | "rateLimits" | "encoders" | "sha1Hex">> & {
    version: string;
  };
  /** Set by the directory route when its answer is a cache entry: compressed once, then kept. */
  cachedAnswer?: CachedAnswer;
  /** The signed-in staff member's label on the staff pages (session or trusted proxy). */
  staffCaller?: string;
  /** What an answered match tells the audit trail, handed over by the route itself. */
  matchAnswered?: {
    market: string;
    rankingVersion: string;
    candidates: { id: string; score: number }[];
    teams?: { partners: string[]; score: number }[];
  };
}

export type AppEnv = { Variables: AppVariables };
