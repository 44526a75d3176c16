// The Workers Cache API in front of the public directory: a GET answered once in a data centre
// is served from that data centre's cache until its max-age runs out, without running the app.
// What may be cached is decided by the app's own headers (src/http/cache.ts): only a 200 marked
// `public` with an ETag is stored; staff paths and anything with credentials never reach it.
import { cacheClass, etagMatches, notModified } from "../http/cache.js";

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
  if (
    !cache ||
    request.method !== "GET" ||
    cacheClass(url.pathname) !== "public" ||
    request.headers.has("authorization")
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

function answer(request: Request, res: Response, how: "hit" | "miss"): Response {
  const out = etagMatches(request.headers.get("if-none-match"), res.headers.get("etag"))
    ? notModified(res)
    : new Response(res.body, res);
  out.headers.set(EDGE_CACHE_HEADER, how);
  return out;
}
