// HTTP caching rules, declared where routes are mounted (createApp) and applied the same on
// Node and on Workers. Public directory answers carry an ETag (hono/etag: SHA-1 of the bytes)
// and a short shared max-age, so browsers and CDNs revalidate with If-None-Match (304, no body)
// instead of downloading again. Staff answers carry internal data and are never stored
// anywhere (`no-store`), whatever a handler set, errors included.
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { Staleness } from "../search/backend.js";

export interface CachingOptions {
  /** Shared max-age of public directory answers; short, because the directory changes daily. */
  publicMaxAgeSeconds?: number;
}

export const DEFAULT_PUBLIC_MAX_AGE = 60;
export const NO_STORE = "no-store";

/**
 * On an answer served from the last-good copy while the search engine is unreachable: when that
 * copy was taken (ISO 8601). Such an answer is never stored (it would outlive the outage).
 */
export const STALE_HEADER = "x-data-stale";

/** The header saying an answer is stale, or none. */
export function staleHeaders(stale: Staleness | undefined): Record<string, string> {
  return stale ? { [STALE_HEADER]: stale.asOf } : {};
}

export function publicCacheControl(maxAge = DEFAULT_PUBLIC_MAX_AGE): string {
  return `public, max-age=${maxAge}`;
}

/** For public GET routes: a 200 may be stored by anyone for max-age and revalidated by ETag. */
export function publicCache(opts: CachingOptions = {}): MiddlewareHandler {
  const cacheControl = publicCacheControl(opts.publicMaxAgeSeconds);
  const tag = etag();
  return (c, next) =>
    tag(c, async () => {
      await next();
      // Set before hono/etag looks at the answer, so a 304 repeats it (RFC 9110 15.4.5).
      if (c.res.status === 200) {
        const stale = c.res.headers.has(STALE_HEADER);
        c.res.headers.set("cache-control", stale ? NO_STORE : cacheControl);
      }
    });
}

/** For staff routes: never stored, errors included. */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set("cache-control", NO_STORE);
  };
}
