// Answers served from the last-good copy (ELASTICSEARCH_FALLBACK) over HTTP: the same bodies as
// the engine's, with X-Data-Stale naming the copy's time and never stored by caches; the header
// is gone once the engine answers again; /readyz stays 200 and says "degraded".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { type FallbackBackend, openFallback } from "../../src/search/fallback/fallback-backend.js";
import { catalog, entries, policy, TOKEN } from "../helpers.js";
import { FakeEngine, raw, unreachable } from "../search/fallback/fake-engine.js";

const AS_OF = "2026-12-01T10:00:00.000Z";
const auth = { authorization: `Bearer ${TOKEN}` };
const ADMIN = "admin-token-0123456789";
const matchBody = JSON.stringify({ customer: { country: "DE" }, limit: 5 });

describe("stale answers over HTTP", () => {
  const engine = new FakeEngine(entries(Array.from({ length: 30 }, (_, i) => raw(i))));
  let backend: FallbackBackend;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    backend = openFallback(engine, {
      catalog,
      policy,
      refreshMs: 3_600_000,
      clock: () => new Date(AS_OF),
    });
    expect(await backend.start()).toBe(true);
    app = createApp({
      backend,
      catalog,
      policy,
      matchTokens: [TOKEN],
      admin: { tokens: [ADMIN], maxBodyBytes: 1 << 20 },
    });
  });
  afterAll(() => backend.close());

  const requests: [string, () => Response | Promise<Response>][] = [
    ["directory", () => app.request("/v1/directory/partners?country=DE")],
    ["profile", () => app.request("/v1/directory/partners/p-004")],
    [
      "match",
      () =>
        app.request("/v1/match", {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: matchBody,
        }),
    ],
    ["staff profile", () => app.request("/v1/staff/partners/p-004", { headers: auth })],
  ];

  it("serves the engine's answers from the copy while it is away, marked stale", async () => {
    const live = new Map<string, string>();
    for (const [name, send] of requests) {
      const res = await send();
      expect(res.status, name).toBe(200);
      expect(res.headers.get("x-data-stale"), name).toBeNull();
      live.set(name, await res.text());
    }
    const page = await app.request("/directory?country=DE");
    expect(page.headers.get("x-data-stale")).toBeNull();

    engine.fault = unreachable;
    for (const [name, send] of requests) {
      const res = await send();
      expect(res.status, name).toBe(200);
      expect(res.headers.get("x-data-stale"), name).toBe(AS_OF);
      expect(res.headers.get("cache-control"), name).toBe("no-store");
      expect(await res.text(), name).toBe(live.get(name));
    }
    const missing = await app.request("/v1/directory/partners/p-999");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-data-stale")).toBe(AS_OF);
    const stalePage = await app.request("/directory?country=DE");
    expect(stalePage.status).toBe(200);
    expect(stalePage.headers.get("x-data-stale")).toBe(AS_OF);

    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "degraded",
      degraded: `serving the last-good copy from ${AS_OF}`,
      details: { fallback: { asOf: AS_OF, profiles: 30 } },
    });
    // A push is refused, not kept in the copy alone.
    const push = await app.request("/v1/admin/partners", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/x-ndjson" },
      body: JSON.stringify(raw(4, { name: "Lost", updatedAt: "2026-11-01T00:00:00Z" })),
    });
    expect(push.status).toBe(503);
    expect(await push.json()).toMatchObject({ code: "search_unavailable" });
    expect((await backend.get("p-004"))?.name).toBe("Partner 4");

    engine.fault = undefined;
    for (const [name, send] of requests) {
      const res = await send();
      expect(res.headers.get("x-data-stale"), name).toBeNull();
    }
    const directory = await app.request("/v1/directory/partners?country=DE");
    expect(directory.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await (await app.request("/readyz")).json()).toMatchObject({ status: "ready" });
  });
});
