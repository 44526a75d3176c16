// The Workers Cache API in front of the public directory: a GET answered once in a data centre
// is served from that data centre's cache until its max-age runs out, without running the app.
// What may be cached is decided by the app's own headers (src/http/cache.ts): only a 200 marked
// `public` with an ETag is stored; a request with credentials never reaches it, and staff
// answers are `no-store`.
import { RETAINED_304_HEADERS } from "hono/etag";

/** The part of the Workers `Cache` this uses (`caches.default`). */
export interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** Header naming where an answer came from, for tests and for debugging a deployment. */
export const EDGE_CACHE_HEADER = "x-edge-cache";

const CONDITIONAL = ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since"];

/** `caches.default` where the runtime has it (workerd), else undefined (Node). */
export function defaultEdgeCache(): EdgeCache | undefined {
  const storage = (globalThis as { caches?: { default?: EdgeCache } }).caches;
  return storage?.default;
}

export async function withEdgeCache(
  request: Request,
  ctx: WaitUntil,
  cache: EdgeCache | undefined,
  handle: (request: Request) => Promise<Response>,
  onError: (what: string, e: unknown) => void = () => {},
): Promise<Response> {
  const url = new URL(request.url);
  // Staff pages are per person (a session cookie): never looked up in or put into a shared cache.
  if (
    !cache ||
    request.method !== "GET" ||
    request.headers.has("authorization") ||
    isStaffPage(url.pathname)
  ) {
    return handle(request);
  }
  // Keyed by URL alone: directory answers do not vary by any request header.
  const key = new Request(url.toString(), { method: "GET" });
  const hit = await cache.match(key).catch((e: unknown) => {
    onError("edge cache match", e);
    return undefined;
  });
  if (hit) return answer(request, hit, "hit");

  // The app must produce the full 200 for the cache even when this client holds a copy.
  const headers = new Headers(request.headers);
  for (const h of CONDITIONAL) headers.delete(h);
  const fresh = await handle(new Request(request, { headers }));
  const cc = fresh.headers.get("cache-control") ?? "";
  if (fresh.status === 200 && /\bpublic\b/.test(cc) && fresh.headers.has("etag")) {
    ctx.waitUntil(
      cache.put(key, fresh.clone()).catch((e: unknown) => onError("edge cache put", e)),
    );
  }
  return answer(request, fresh, "miss");
}

/** The staff pages' paths (src/http/routes/staff-pages.ts): /staff, /staff/..., /finder. */
export function isStaffPage(path: string): boolean {
  return path === "/staff" || path.startsWith("/staff/") || path === "/finder";
}

function answer(request: Request, res: Response, how: "hit" | "miss"): Response {
  const out = etagMatches(request.headers.get("if-none-match"), res.headers.get("etag"))
    ? notModified(res)
    : new Response(res.body, res);
  out.headers.set(EDGE_CACHE_HEADER, how);
  return out;
}

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison, and `*` matches any current answer. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  const mine = opaque(etag);
  return ifNoneMatch.split(",").some((t) => opaque(t) === mine);
}

/** A 304 for a stored answer: the validators and caching headers, no body (as hono/etag does). */
function notModified(from: Response): Response {
  const headers = new Headers();
  for (const name of RETAINED_304_HEADERS) {
    const v = from.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  return new Response(null, { status: 304, headers });
}
