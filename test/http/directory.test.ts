import { describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const { app } = appOf([
  rawProfile({ id: "a", name: "Alpha CRM", tier: "gold" }),
  rawProfile({ id: "b", name: "Beta Web", accreditations: [], tier: "elite" }),
]);

async function problem(url: string) {
  const r = await app.request(url);
  expect(r.headers.get("content-type")).toBe("application/problem+json");
  return {
    status: r.status,
    body: (await r.json()) as { code: string; errors?: { name: string; reason: string }[] },
  };
}

describe("GET /v1/directory/partners", () => {
  it("answers the contract's shape with facets and accredited partners first", async () => {
    const r = await app.request("/v1/directory/partners");
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown> & {
      results: Record<string, unknown>[];
    };
    expect(Object.keys(body).sort()).toEqual(["facets", "page", "pageSize", "results", "total"]);
    expect(body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(body.results.map((x) => [x.id, x.accredited, x.rank])).toEqual([
      ["a", true, 1],
      ["b", false, 2],
    ]);
    expect(body.results[0]?.badges).toContain("accredited_crm_implementation");
    expect((body.facets as Record<string, unknown>).tier).toEqual({ elite: 1, gold: 1 });
  });

  it("says which words it dropped when no partner matches every word", async () => {
    const get = async (q: string) =>
      (await (await app.request(`/v1/directory/partners?q=${encodeURIComponent(q)}`)).json()) as {
        total: number;
        relaxed?: { dropped: string[] };
        results: { id: string }[];
      };
    const every = await get("alpha crm");
    expect([every.total, "relaxed" in every]).toEqual([1, false]);
    const relaxed = await get("Alpha Zzyzx");
    expect(relaxed.relaxed).toEqual({ dropped: ["Zzyzx"] });
    expect(relaxed.results.map((x) => x.id)).toEqual(["a"]);
  });

  it("filters by accredited=true and repeated parameters", async () => {
    const r = (await (await app.request("/v1/directory/partners?accredited=true")).json()) as {
      total: number;
    };
    expect(r.total).toBe(1);
    const t = (await (await app.request("/v1/directory/partners?tier=gold&tier=elite")).json()) as {
      total: number;
    };
    expect(t.total).toBe(2);
  });

  it.each([
    ["/v1/directory/partners?pageSize=500", "pageSize"],
    ["/v1/directory/partners?pageSize=0", "pageSize"],
    ["/v1/directory/partners?page=-1", "page"],
    ["/v1/directory/partners?page=abc", "page"],
    ["/v1/directory/partners?tier=platinum,gold", "tier"],
    ["/v1/directory/partners?industry=mining", "industry"],
    ["/v1/directory/partners?country=XX", "country"],
    ["/v1/directory/partners?sort=price", "sort"],
    ["/v1/directory/partners?accredited=yes", "accredited"],
    ["/v1/directory/partners?colour=red", "colour"],
    ["/v1/directory/partners?page=1&page=2", "page"],
    ["/v1/directory/partners?page=400&pageSize=50", "page"],
    ["/v1/directory/partners?page=201", "page"],
    ["/v1/directory/partners?page=201&pageSize=1", "page"],
    ["/v1/directory/partners?page=1.0", "page"],
    ["/v1/directory/partners?page=%2B1", "page"],
    ["/v1/directory/partners?page=%201", "page"],
    ["/v1/directory/partners?pageSize=", "pageSize"],
    ["/v1/directory/partners?q=a&q=b", "q"],
    ["/v1/directory/partners?sort=name&sort=name", "sort"],
    ["/v1/directory/partners?accredited=true&accredited=true", "accredited"],
    ["/v1/directory/partners?country=%20DE", "country"],
    ["/v1/directory/partners?country=De", "country"],
    ["/v1/directory/partners?tier=Gold", "tier"],
    ["/v1/directory/partners?language=DE", "language"],
    ["/v1/directory/partners?tier=", "tier"],
    [`/v1/directory/partners?q=${"x".repeat(10_000)}`, "q"],
  ])("%s is a 400 naming %s", async (url, name) => {
    const { status, body } = await problem(url);
    expect(status).toBe(400);
    expect(body.code).toBe("invalid_request");
    expect(body.errors?.map((e) => e.name)).toContain(name);
  });

  it("says that a parameter may be given once", async () => {
    const { body } = await problem("/v1/directory/partners?q=a&q=b");
    expect(body.errors).toEqual([{ name: "q", in: "query", reason: "q may be given once" }]);
  });

  it("serves pages up to maxResultWindow / maxPageSize (200), at any page size", async () => {
    for (const url of [
      "/v1/directory/partners?page=200&pageSize=50",
      "/v1/directory/partners?page=200&pageSize=1",
      "/v1/directory/partners?page=007",
    ]) {
      expect((await app.request(url)).status).toBe(200);
    }
    const { body } = await problem("/v1/directory/partners?page=201&pageSize=1");
    expect(body.errors?.[0]?.reason).toMatch(/at most 200: results beyond the first 10000/);
  });

  it("accepts a country code in lower case, as the same search", async () => {
    const upper = await (await app.request("/v1/directory/partners?country=DE")).json();
    const lower = await (await app.request("/v1/directory/partners?country=de")).json();
    expect(lower).toEqual(upper);
  });

  it("explains a comma-joined list", async () => {
    const { body } = await problem("/v1/directory/partners?tier=platinum,gold");
    expect(body.errors?.[0]?.reason).toMatch(/repeat the parameter/);
  });
});

describe("other routes", () => {
  it("serves a profile or a 404 problem", async () => {
    expect((await app.request("/v1/directory/partners/a")).status).toBe(200);
    const { status, body } = await problem("/v1/directory/partners/zzz");
    expect([status, body.code]).toEqual([404, "not_found"]);
  });

  it("answers unknown routes with a problem", async () => {
    const { status, body } = await problem("/v2/nothing");
    expect([status, body.code]).toEqual([404, "not_found"]);
  });

  it("answers an unknown parameter on /healthz and /readyz with a 400 naming it", async () => {
    for (const url of ["/healthz?x=1", "/readyz?valueOf=1"]) {
      const { status, body } = await problem(url);
      expect([status, body.errors?.map((e) => e.name)]).toEqual([400, [url.split(/[?=]/)[1]]]);
    }
  });

  it("reports health, readiness and the OpenAPI description", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    expect(await (await app.request("/readyz")).json()).toMatchObject({
      status: "ready",
      backend: "memory",
    });
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/directory/partners",
        "/v1/directory/partners/{id}",
        "/healthz",
        "/readyz",
      ]),
    );
    const docs = await app.request("/docs");
    expect(await docs.text()).toContain("problem-invalid_request");
  });
});
