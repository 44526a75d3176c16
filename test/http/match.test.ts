import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { appOf, backendOf, catalog, policy, TOKEN } from "../helpers.js";
import { partner, qualifiedPartner } from "../ranking/match-fixtures.js";

const { app } = appOf([
  partner("acc-1"),
  partner("acc-2", { tier: "elite" }),
  qualifiedPartner("qual-1"),
  partner("unlisted", { directoryListed: false }),
  partner("jp", {
    locations: [{ country: "JP", city: "Tokyo" }],
    markets: ["JP"],
    languages: ["ja"],
  }),
]);

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { "content-type": "application/json" };
const valid = { customer: { country: "DE", languages: ["de"], products: ["sales_hub"] } };

function post(body: unknown, headers: Record<string, string> = { ...auth, ...json }) {
  return app.request("/v1/match", {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface Problem {
  code: string;
  status: number;
  detail?: string;
  directory?: string;
  errors?: { name: string; in: string; reason: string }[];
}

async function problem(r: Response, status: number): Promise<Problem> {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toBe("application/problem+json");
  expect(r.headers.get("cache-control")).toBe("no-store");
  return (await r.json()) as Problem;
}

interface MatchBody {
  market: string;
  rankingVersion: string;
  eligible: number;
  candidates: {
    rank: number;
    score: number;
    eligibility: string;
    partner: Record<string, unknown> & { id: string; internal: Record<string, unknown> };
    reasons: { signal: string; detail: string; contribution: number }[];
  }[];
  partnerOfRecord?: { id: string; eligible: boolean; failedRule?: string };
}

describe("POST /v1/match: authentication", () => {
  it.each([
    ["no Authorization header", json],
    ["a wrong token", { ...json, authorization: "Bearer not-the-token-at-all" }],
    ["another scheme", { ...json, authorization: `Basic ${TOKEN}` }],
    ["the token with a suffix", { ...json, authorization: `Bearer ${TOKEN}x` }],
  ])("answers 401 with WWW-Authenticate for %s", async (_, headers) => {
    const r = await post(valid, headers);
    const body = await problem(r, 401);
    expect(body.code).toBe("unauthorized");
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer realm="partner-finder"/);
  });

  it("checks the token before anything about the body", async () => {
    await problem(await post("not json", { "content-type": "text/plain" }), 401);
  });

  it("refuses every token when none is configured", async () => {
    const open = createApp({
      backend: backendOf([partner("a")]),
      catalog,
      policy,
      matchTokens: [],
    });
    const r = await open.request("/v1/match", {
      method: "POST",
      headers: { ...json, authorization: "Bearer " },
      body: JSON.stringify(valid),
    });
    expect(r.status).toBe(401);
  });

  it("accepts any of several tokens", async () => {
    const several = createApp({
      backend: backendOf([partner("a")]),
      catalog,
      policy,
      matchTokens: ["first-token-0123456789", TOKEN],
    });
    for (const t of ["first-token-0123456789", TOKEN]) {
      const r = await several.request("/v1/match", {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${t}` },
        body: JSON.stringify(valid),
      });
      expect(r.status).toBe(200);
    }
  });

  // Behaviour only (hono/bearer-auth does the comparison): nothing here measures time.
  it("takes exactly a configured token: not a prefix, extension, other case or empty one", async () => {
    for (const wrong of [TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), "", " "]) {
      const r = await post(valid, { ...json, authorization: `Bearer ${wrong}` });
      expect(r.status, JSON.stringify(wrong)).toBe(401);
      expect(r.headers.get("content-type")).toMatch(/application\/problem\+json/);
    }
    expect((await post(valid, { ...json, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await post(valid, { ...json, authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe("POST /v1/match: answers", () => {
  it("answers the contract's shape with staff profiles, reasons and rankingVersion", async () => {
    const r = await post({ ...valid, motion: "difm", limit: 5 });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const body = (await r.json()) as MatchBody;
    expect(body.market).toBe("DE");
    expect(body.rankingVersion).toMatch(/^match-/);
    const order = body.candidates.map((c) => c.partner.id);
    // acc-1 and unlisted are identical: they tie and rotate, so only their places are fixed.
    expect([order[0], [order[1], order[2]].sort(), order[3]]).toEqual([
      "acc-2",
      ["acc-1", "unlisted"],
      "qual-1",
    ]);
    for (const c of body.candidates) {
      expect(Object.keys(c).sort()).toEqual(["eligibility", "partner", "rank", "reasons", "score"]);
      expect(c.partner.internal).toMatchObject({
        retention: 0.91,
        capacity: { maxOpenReferrals: 5 },
      });
      const units = c.reasons.reduce((s, x) => s + Math.round(x.contribution * 1e6), 0);
      expect(units).toBe(Math.round(c.score * 1e6));
    }
    expect(body.candidates.map((c) => c.eligibility)).toEqual([
      "accredited",
      "accredited",
      "accredited",
      "qualified",
    ]);
  });

  it("defaults limit to 10 and honours a smaller one", async () => {
    const many = appOf(Array.from({ length: 14 }, (_, i) => partner(`p${i}`))).app;
    const ask = async (body: unknown) =>
      (await (
        await many.request("/v1/match", {
          method: "POST",
          headers: { ...auth, ...json },
          body: JSON.stringify(body),
        })
      ).json()) as MatchBody;
    expect((await ask({ customer: { country: "DE" } })).candidates).toHaveLength(10);
    expect((await ask({ customer: { country: "DE" }, limit: 3 })).candidates).toHaveLength(3);
  });

  it("counts a customer id's length in characters, as the document does", async () => {
    const emoji = "\u{1F600}".repeat(200);
    expect((await post({ customer: { country: "DE", id: emoji } })).status).toBe(200);
    const p = await problem(await post({ customer: { country: "DE", id: `${emoji}x` } }), 400);
    expect(p.errors?.map((e) => e.name)).toEqual(["customer.id"]);
  });

  it("accepts lower-case country and language codes", async () => {
    const r = await post({ customer: { country: "de", languages: ["DE"] } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as MatchBody).market).toBe("DE");
  });

  it("says why a named partner of record is not first", async () => {
    const body = (await (
      await post({
        customer: { country: "DE", products: ["content_hub"], partnerOfRecord: "qual-1" },
      })
    ).json()) as MatchBody;
    expect(body.partnerOfRecord).toEqual({
      id: "qual-1",
      eligible: false,
      found: true,
      failedRule: "accredited_or_qualified",
    });
    const first = (await (
      await post({
        customer: { country: "DE", products: ["sales_hub"], partnerOfRecord: "qual-1" },
      })
    ).json()) as MatchBody;
    expect(first.candidates[0]?.partner.id).toBe("qual-1");
    expect(first.partnerOfRecord).toMatchObject({ id: "qual-1", eligible: true });
  });

  it("is the same for the same request on the same day", async () => {
    const a = await (await post(valid)).text();
    const b = await (await post(valid)).text();
    expect(a).toBe(b);
  });
});

describe("POST /v1/match: region gating", () => {
  it("refuses JP with 422, a human message and a link to the directory", async () => {
    const body = await problem(await post({ customer: { country: "JP" } }), 422);
    expect(body.code).toBe("market_not_offered");
    expect(body.detail).toContain("not offered");
    expect(body.directory).toBe("/v1/directory/partners?country=JP");
    const dir = await app.request(body.directory as string);
    expect(dir.status).toBe(200);
    expect(((await dir.json()) as { total: number }).total).toBe(1);
  });
});

describe("POST /v1/match: bad input is a 4xx naming the field, never a 500", () => {
  it.each([
    [{ customer: { country: "XX" } }, "customer.country"],
    [{ customer: {} }, "customer.country"],
    [{}, "customer"],
    [{ customer: { country: "DE", products: ["sales_hubb"] } }, "customer.products[0]"],
    [{ customer: { country: "DE", needs: ["magic"] } }, "customer.needs[0]"],
    [{ customer: { country: "DE", industry: "mining" } }, "customer.industry"],
    [{ customer: { country: "DE", companySize: "huge" } }, "customer.companySize"],
    [{ customer: { country: "DE", languages: ["xx"] } }, "customer.languages[0]"],
    [{ customer: { country: "DE", location: { lat: 91, lon: 0 } } }, "customer.location.lat"],
    [{ customer: { country: "DE", partnerOfRecord: "../etc" } }, "customer.partnerOfRecord"],
    [{ customer: { country: "DE", budget: 5 } }, "customer.budget"],
    [{ customer: { country: " DE" } }, "customer.country"],
    [{ customer: { country: "De" } }, "customer.country"],
    [{ customer: { country: "DE", languages: ["de "] } }, "customer.languages[0]"],
    [{ customer: { country: "DE", languages: "de" } }, "customer.languages"],
    [{ customer: { country: "DE", industry: "Software" } }, "customer.industry"],
    [{ customer: { country: "DE", location: { lat: 0 } } }, "customer.location.lon"],
    [
      { customer: { country: "DE", location: { lat: 0, lon: 0, alt: 1 } } },
      "customer.location.alt",
    ],
    [{ customer: { country: "DE", partnerOfRecord: "p".repeat(65) } }, "customer.partnerOfRecord"],
    [{ customer: { country: "DE", id: "" } }, "customer.id"],
    [{ customer: { country: "DE" }, sort: "score" }, "sort"],
    [{ customer: { country: "DE" }, motion: "cold_call" }, "motion"],
    [{ ...valid, limit: 0 }, "limit"],
    [{ ...valid, limit: 1000 }, "limit"],
    [{ ...valid, limit: 2.5 }, "limit"],
    [{ ...valid, limit: "10" }, "limit"],
    [[valid], "(body)"],
    ["null", "(body)"],
  ])("%j is a 400 naming %s", async (body, name) => {
    const p = await problem(await post(body), 400);
    expect(p.code).toBe("invalid_request");
    expect(p.errors?.map((e) => e.name)).toContain(name);
    expect(p.detail).toContain(name);
  });

  it("an empty body is a 400", async () => {
    const p = await problem(await post(""), 400);
    expect(p.errors?.[0]).toMatchObject({ name: "(body)", in: "body" });
    expect(p.detail).toMatch(/empty/);
  });

  it("malformed JSON is a 400", async () => {
    const p = await problem(await post('{"customer": {'), 400);
    expect(p.detail).toMatch(/malformed JSON/);
  });

  it("a 2 MB body is a 413, with or without Content-Length", async () => {
    const big = JSON.stringify({ ...valid, pad: "x".repeat(2 * 1024 * 1024) });
    expect((await problem(await post(big), 413)).code).toBe("payload_too_large");
    const withLength = await post(big, { ...auth, ...json, "content-length": String(big.length) });
    expect((await problem(withLength, 413)).errors?.[0]?.name).toBe("(body)");
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {}],
    ["form data", { "content-type": "application/x-www-form-urlencoded" }],
  ])("%s is a 415 naming the header", async (_, headers) => {
    const p = await problem(await post(JSON.stringify(valid), { ...auth, ...headers }), 415);
    expect(p.code).toBe("unsupported_media_type");
    expect(p.errors?.[0]).toMatchObject({ name: "content-type", in: "header" });
  });

  it("refuses, as a 415 problem, a JSON-ish type the route's media-type rule does not take", async () => {
    for (const type of ["application/json ; charset=utf-8", "application/json;"]) {
      const p = await problem(
        await post(JSON.stringify(valid), { ...auth, "content-type": type }),
        415,
      );
      expect(p.errors?.[0]).toMatchObject({ name: "content-type", in: "header" });
    }
  });

  it("accepts application/json with a charset", async () => {
    const r = await post(valid, { ...auth, "content-type": "application/json; charset=utf-8" });
    expect(r.status).toBe(200);
  });

  it("for arbitrary JSON bodies, POST /v1/match never answers 5xx and every refusal is problem+json", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            customer: fc.dictionary(fc.string(), fc.jsonValue()),
            limit: fc.jsonValue(),
          }),
          fc.record({ customer: fc.record({ country: fc.constantFrom("DE", "US", "JP", "FR") }) }),
        ),
        async (body) => {
          const r = await post(JSON.stringify(body));
          expect(r.status).toBeLessThan(500);
          if (r.status !== 200)
            expect(r.headers.get("content-type")).toBe("application/problem+json");
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("GET /v1/staff/partners/{id}", () => {
  it("shows the full staff profile, listed or not, never cached", async () => {
    const r = await app.request("/v1/staff/partners/unlisted", { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const p = (await r.json()) as Record<string, unknown>;
    expect(p).toMatchObject({
      id: "unlisted",
      directoryListed: false,
      internal: { soldMrr12m: 182000, notes: "free text for staff" },
    });
    expect((await app.request("/v1/directory/partners/unlisted")).status).toBe(404);
  });

  it("needs the bearer token", async () => {
    const r = await app.request("/v1/staff/partners/acc-1");
    expect((await problem(r, 401)).code).toBe("unauthorized");
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 404 for an unknown partner", async () => {
    const p = await problem(await app.request("/v1/staff/partners/nope", { headers: auth }), 404);
    expect(p.code).toBe("not_found");
  });
});

describe("OpenAPI", () => {
  it("documents both staff routes behind the bearer scheme", async () => {
    const doc = (await (
      await app.request("/v1/staff/openapi.json", {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, unknown> }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const match = doc.paths["/v1/match"]?.post;
    expect(match?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(match?.responses ?? {}).sort()).toEqual(
      ["200", "400", "401", "413", "415", "422", "503"].sort(),
    );
    expect(doc.paths["/v1/staff/partners/{id}"]?.get?.security).toEqual([{ bearer: [] }]);
  });
});

describe("POST /v1/match: coverage and teams", () => {
  const { app: teamApp } = appOf([
    partner("crm", { services: ["crm_implementation"] }),
    partner("seo", { services: ["seo", "crm_implementation"] }),
    partner("web", { services: ["web_design"] }),
    partner("web-full", { services: ["web_design"] }, { capacity: { openReferrals: 5 } }),
    partner("closed", { services: ["seo"] }, { capacity: { acceptingReferrals: false } }),
    partner("en-only", { languages: ["en"], services: ["seo"] }),
    qualifiedPartner("untiered", { tier: "none", services: ["seo"] }),
  ]);
  const ask = (body: unknown) =>
    teamApp.request("/v1/match", {
      method: "POST",
      headers: { ...auth, ...json },
      body: JSON.stringify(body),
    });

  it("says how many partners of the market each hard rule excludes", async () => {
    const r = await ask({ customer: { country: "DE", languages: ["de"] } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as MatchBody & { coverage: unknown; teams?: unknown };
    expect(body.coverage).toEqual({
      passedHardRules: 4,
      eligible: 3,
      excludedBy: {
        shared_language: 1,
        accepting_referrals: 1,
        capacity: 1,
        accredited_or_qualified: 1,
        motion: 0,
      },
    });
    expect(body.eligible).toBe(3);
    expect(body).not.toHaveProperty("teams");
  });

  it("forms teams when no single eligible partner covers every need, and none when one does", async () => {
    const r = await ask({
      customer: { country: "DE", needs: ["crm_implementation", "seo", "web_design"] },
    });
    const body = (await r.json()) as { teams: { partners: string[]; covers: object }[] };
    expect(body.teams.length).toBeGreaterThan(0);
    expect(body.teams[0]?.covers).toEqual({
      crm_implementation: expect.any(String),
      seo: "seo",
      web_design: "web",
    });
    for (const t of body.teams) expect(t.partners).toContain("web");
    const one = await ask({ customer: { country: "DE", needs: ["crm_implementation", "seo"] } });
    expect(((await one.json()) as { teams: unknown[] }).teams).toEqual([]);
  });
});
