// The Worker's configuration and edge cache, on Node: binding validation naming each bad
// binding, inline policy overrides, and the Cache API layer with an in-memory cache.
import { describe, expect, it } from "vitest";
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import { parseBindings } from "../../src/edge/bindings.js";
import { buildEdgeApp } from "../../src/edge/edge-app.js";
import { EDGE_CACHE_HEADER, type EdgeCache, withEdgeCache } from "../../src/edge/edge-cache.js";

const assets = { fetch: async () => new Response("", { status: 404 }) };

describe("parseBindings", () => {
  it("accepts the minimal embedded setup (the bundled snapshot) and applies defaults", () => {
    const r = parseBindings({});
    expect(r.ok && r.bindings).toMatchObject({
      MATCH_API_TOKENS: [],
      ELASTICSEARCH_INDEX: "partners",
    });
    expect(r.ok && r.bindings.SNAPSHOT_PATH).toBeUndefined();
    expect(parseBindings({ ASSETS: assets, SNAPSHOT_PATH: "/partners.index.bin" }).ok).toBe(true);
  });

  it("needs ASSETS for a snapshot read from the assets (SNAPSHOT_PATH), unless Elasticsearch is bound", () => {
    expect(parseBindings({ SNAPSHOT_PATH: "/partners.index.bin" })).toMatchObject({
      ok: false,
      problems: [{ name: "ASSETS", reason: expect.stringMatching(/SNAPSHOT_PATH/) }],
    });
    expect(
      parseBindings({
        SNAPSHOT_PATH: "/partners.index.bin",
        ELASTICSEARCH_URL: "https://es.example:9243",
      }).ok,
    ).toBe(true);
  });

  it("keeps no last-good copy of the cluster: that is Node only", () => {
    expect(
      parseBindings({
        ELASTICSEARCH_URL: "https://es.example:9243",
        ELASTICSEARCH_FALLBACK: "memory",
      }),
    ).toMatchObject({
      ok: false,
      problems: [{ name: "ELASTICSEARCH_FALLBACK", reason: expect.stringMatching(/Node only/) }],
    });
  });

  it("names every bad binding", () => {
    const r = parseBindings({
      ASSETS: "not a binding",
      MATCH_API_TOKENS: "abc",
      CATALOG_JSON: "{",
      CATALOG_FILE: "/etc/catalog.json",
      SNAPSHOT_PATH: "partners.gz",
      UPDATE_LOG_FILE: "/var/lib/partners/updates.ndjson",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.name).sort()).toEqual([
      "ASSETS",
      "CATALOG_FILE",
      "CATALOG_JSON",
      "MATCH_API_TOKENS",
      "SNAPSHOT_PATH",
      "UPDATE_LOG_FILE",
    ]);
  });

  it("takes a JSON override as a string (secret) or a wrangler.toml table", () => {
    for (const MARKET_POLICY_JSON of [JSON.stringify(policyJson), policyJson]) {
      const r = parseBindings({ ASSETS: assets, MARKET_POLICY_JSON });
      expect(r.ok && r.bindings.MARKET_POLICY_JSON).toEqual(policyJson);
    }
  });
});

describe("buildEdgeApp", () => {
  it("applies an inline market policy", async () => {
    const policy = structuredClone(policyJson) as { matching: { notOfferedIn: string[] } };
    policy.matching.notOfferedIn = ["JP", "DE"];
    const built = await buildEdgeApp({
      ASSETS: assets,
      SNAPSHOT_PATH: "/partners.index.bin",
      MARKET_POLICY_JSON: JSON.stringify(policy),
      MATCH_API_TOKENS: "a-token-of-sixteen-chars",
      LOG_LEVEL: "silent",
    });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const res = await built.app.request("/v1/match", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer a-token-of-sixteen-chars",
      },
      body: JSON.stringify({ customer: { country: "DE" } }),
    });
    expect(res.status).toBe(422);
  });

  it("names a policy or catalog that parses as JSON but is not valid", async () => {
    expect(
      await buildEdgeApp({ ASSETS: assets, MARKET_POLICY_JSON: '{"matching": 1}' }),
    ).toMatchObject({ ok: false, problems: [{ name: "MARKET_POLICY_JSON" }] });
    expect(await buildEdgeApp({ ASSETS: assets, CATALOG_JSON: "[]" })).toMatchObject({
      ok: false,
      problems: [{ name: "CATALOG_JSON" }],
    });
  });
});

class MapCache implements EdgeCache {
  readonly store = new Map<string, Response>();
  async match(r: Request) {
    return this.store.get(r.url)?.clone();
  }
  async put(r: Request, res: Response) {
    this.store.set(r.url, res);
  }
}

describe("withEdgeCache", () => {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const settle = () => Promise.all(pending.splice(0));
  let calls = 0;
  const origin = async (req: Request) => {
    calls++;
    const url = new URL(req.url);
    if (url.searchParams.has("bad")) return new Response("{}", { status: 400 });
    return new Response(`{"n":1}`, {
      headers: {
        "cache-control": url.pathname.startsWith("/v1/directory")
          ? "public, max-age=60"
          : "no-store",
        etag: '"t1"',
        // The app never sees the client's validator on a miss: it must produce a full 200.
        "x-saw-inm": String(req.headers.has("if-none-match")),
      },
    });
  };

  it("stores a public 200 and serves the next request from the cache", async () => {
    const cache = new MapCache();
    calls = 0;
    const req = () => new Request("https://x.test/v1/directory/partners?q=a");
    const first = await withEdgeCache(req(), ctx, cache, origin);
    await settle();
    expect(first.headers.get(EDGE_CACHE_HEADER)).toBe("miss");
    const second = await withEdgeCache(req(), ctx, cache, origin);
    expect(second.headers.get(EDGE_CACHE_HEADER)).toBe("hit");
    expect(await second.text()).toBe(`{"n":1}`);
    expect(calls).toBe(1);
  });

  it("answers 304 from either path and never passes the validator to the app", async () => {
    const cache = new MapCache();
    const req = () =>
      new Request("https://x.test/v1/directory/partners/p-1", {
        headers: { "if-none-match": '"t1"' },
      });
    const miss = await withEdgeCache(req(), ctx, cache, origin);
    await settle();
    expect(miss.status).toBe(304);
    expect((cache.store.values().next().value as Response).headers.get("x-saw-inm")).toBe("false");
    const hit = await withEdgeCache(req(), ctx, cache, origin);
    expect([hit.status, hit.headers.get(EDGE_CACHE_HEADER)]).toEqual([304, "hit"]);
  });

  it("never stores errors, staff paths, non-GETs or requests with credentials", async () => {
    const cache = new MapCache();
    await withEdgeCache(
      new Request("https://x.test/v1/directory/partners?bad=1"),
      ctx,
      cache,
      origin,
    );
    await withEdgeCache(new Request("https://x.test/v1/staff/partners/p-1"), ctx, cache, origin);
    await withEdgeCache(
      new Request("https://x.test/v1/directory/partners", {
        headers: { authorization: "Bearer x" },
      }),
      ctx,
      cache,
      origin,
    );
    await withEdgeCache(
      new Request("https://x.test/v1/directory/partners", { method: "HEAD" }),
      ctx,
      cache,
      origin,
    );
    await settle();
    expect(cache.store.size).toBe(0);
  });
});
