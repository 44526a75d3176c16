// The typed Hono environment: handlers take their services from `c.var`, never from globals.
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Logger } from "../lib/logger.js";
import type { SearchBackend } from "../search/backend.js";
import type { RateLimits } from "./rate-limit.js";

export interface AppDeps {
  backend: SearchBackend;
  catalog: Catalog;
  policy: MarketPolicy;
  /** Bearer tokens accepted by the staff endpoints; empty means staff endpoints refuse all. */
  matchTokens: readonly string[];
  /** Origins allowed to call the public directory API from a browser; empty: none. */
  corsOrigins?: readonly string[];
  /** Abuse limits per client; absent: none (tests build apps without them). */
  rateLimits?: RateLimits;
  clock?: () => Date;
  logger?: Logger;
  /** Shown in /healthz and the OpenAPI document. */
  version?: string;
}

export interface AppVariables {
  /** Set by hono/secure-headers: the CSP nonce a page's own style block carries. */
  secureHeadersNonce?: string;
  deps: Required<Omit<AppDeps, "version" | "rateLimits">> & { version: string };
}

export type AppEnv = { Variables: AppVariables };
