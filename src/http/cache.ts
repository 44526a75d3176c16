// HTTP caching rules for the API, applied the same on Node and on Workers. Public directory
// answers carry a strong ETag over their bytes and a short shared max-age, so browsers and CDNs
// revalidate with If-None-Match (304, no body) instead of downloading again. Staff answers carry
// internal data and are never stored anywhere (`no-store`), whatever a handler set.
import type { MiddlewareHandler } from "hono";

export type CacheClass = "public" | "staff" | "none";

export interface CachingOptions {
  /** Shared max-age of public directory answers; short, because the directory changes daily. */
  publicMaxAgeSeconds?: number;
}

export const DEFAULT_PUBLIC_MAX_AGE = 60;
export const NO_STORE = "no-store";

/** Which caching rule a path falls under. */
export function cacheClass(pathname: string): CacheClass {
  if (pathname === "/v1/directory" || pathname.startsWith("/v1/directory/")) return "public";
  if (/^\/v1\/(match|staff)(\/|$)/.test(pathname)) return "staff";
  return "none";
}

export function publicCacheControl(maxAge = DEFAULT_PUBLIC_MAX_AGE): string {
  return `public, max-age=${maxAge}`;
}

export function httpCaching(opts: CachingOptions = {}): MiddlewareHandler {
  const cacheControl = publicCacheControl(opts.publicMaxAgeSeconds);
  return async (c, next) => {
    const kind = cacheClass(c.req.path);
    await next();
    if (kind === "staff") {
      c.res.headers.set("cache-control", NO_STORE);
      return;
    }
    if (kind !== "public" || c.res.status !== 200) return;
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
    const etag = await strongEtag(await c.res.clone().arrayBuffer());
    c.res.headers.set("etag", etag);
    c.res.headers.set("cache-control", cacheControl);
    if (etagMatches(c.req.header("if-none-match"), etag)) c.res = notModified(c.res);
  };
}

/** A strong validator: the same bytes give the same tag on every instance and runtime. */
export async function strongEtag(body: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body as BufferSource));
  let bin = "";
  for (const b of digest) bin += String.fromCharCode(b);
  return `"${btoa(bin).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison, and `*` matches any current answer. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  const mine = opaque(etag);
  return ifNoneMatch.split(",").some((t) => opaque(t) === mine);
}

/** RFC 9110 15.4.5: a 304 repeats the validators and caching headers, and has no body. */
export function notModified(from: Response): Response {
  const headers = new Headers();
  for (const name of ["etag", "cache-control", "vary", "content-location", "date", "expires"]) {
    const v = from.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  return new Response(null, { status: 304, headers });
}
