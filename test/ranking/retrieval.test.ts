// The first stage of retrieve-and-rerank (ranking/retrieval.ts), evaluated here in plain code
// over the indexed features, must equal the ranking's exact score for every eligible partner:
// then an engine's top K by it hold the true page, whatever K, up to float rounding and ties.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { parseFeed } from "../../src/partner/feed.js";
import type { Profile } from "../../src/partner/schema.js";
import type { RetrievalPlan, TermField } from "../../src/ranking/candidates.js";
import { haversineKm } from "../../src/ranking/geo.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import {
  deeperBar,
  featureContext,
  finderFeatures,
  finderFeaturesOf,
  PRODUCT_RECORD,
  RECORD_TOTAL,
} from "../../src/ranking/retrieval.js";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const sample = parseFeed(
  readFileSync(new URL("../../data/sample-partners.ndjson", import.meta.url), "utf8"),
  catalog,
).entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
const sampleProfiles = (n: number): Profile[] => sample.slice(0, n);
const ctx = featureContext(catalog, policy);

const codesOf = (p: Profile, f: TermField): readonly string[] =>
  ({
    products: p.products,
    industry: p.industries,
    company_size: p.customerSizes,
    services: p.services,
    languages: p.languages,
    accreditations: p.accreditations.map((a) => a.code),
    id: [p.id],
  })[f];

/** The plan's score as an engine computes it (rerank-queries.ts translates exactly this). */
function firstStage(plan: RetrievalPlan, p: Profile): number {
  const f = finderFeatures(p, ctx);
  let s = 0;
  for (const x of plan.features) s += x.weight * (f[x.name] ?? 0);
  for (const t of plan.terms)
    if (t.codes.some((c) => codesOf(p, t.field).includes(c))) s += t.weight;
  for (const c of plan.counted) {
    const m = c.codes.filter((code) => codesOf(p, c.field).includes(code)).length;
    for (let j = 0; j < m; j++) s += c.steps[j] as number;
  }
  const near = plan.near;
  if (near) {
    const kms = p.locations.flatMap((l) =>
      l.lat !== undefined && l.lon !== undefined
        ? [haversineKm(near.lat, near.lon, l.lat, l.lon)]
        : [],
    );
    if (kms.length > 0) s += near.weight * Math.exp(-Math.min(...kms) / near.decayKm);
  }
  return s;
}

const REQUESTS: MatchRequest[] = [
  { customer: { country: "US" }, limit: 10 },
  {
    customer: {
      country: "US",
      languages: ["en", "es"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub", "smart_crm"],
      needs: ["crm_implementation", "custom_integration", "seo"],
      location: { lat: 40.71, lon: -74.0 },
    },
    motion: "difm",
    limit: 10,
  },
  {
    customer: {
      country: "DE",
      languages: ["de"],
      needs: ["onboarding"],
      industry: "manufacturing",
    },
    motion: "upmarket_referral",
    limit: 10,
  },
  { customer: { country: "FR", languages: ["fr"], products: ["marketing_hub"] }, limit: 10 },
  { customer: { country: "GB", companySize: "large", partnerOfRecord: "x" }, limit: 10 },
];

describe("finderFeatures", () => {
  const [p] = sampleProfiles(1);
  it("are positive numbers named per signal and code, absent where 0", () => {
    const f = finderFeatures(p as Profile, ctx);
    for (const v of Object.values(f)) expect(v).toBeGreaterThan(0);
    expect(Object.keys(f).every((k) => /^[a-z_]+(__[a-z_]+__[a-z0-9_]+)?$/.test(k))).toBe(true);
    let total = 0;
    for (const v of Object.values((p as Profile).internal.trackRecord.products)) total += v ?? 0;
    if (total > 0) {
      expect(f[PRODUCT_RECORD]).toBe(total);
      expect(f[RECORD_TOTAL]).toBeCloseTo(total / (total + 5), 12);
    }
    expect(f.retention ?? 0).toBe((p as Profile).internal.retention);
  });

  it("each fit group's shares are a unit vector", () => {
    for (const q of sampleProfiles(50)) {
      const f = finderFeatures(q, ctx);
      const norm = Object.entries(f)
        .filter(([k]) => k.startsWith("fit__products__"))
        .reduce((s, [, v]) => s + v * v, 0);
      if (norm > 0) expect(norm).toBeCloseTo(1, 5);
    }
  });
});

describe("finderFeaturesOf", () => {
  it("gives each partner of a batch exactly its features alone", () => {
    // Rows of one block must not leak into each other (the columns are strided by the count).
    const batch = sampleProfiles(300);
    const together = finderFeaturesOf(batch, ctx);
    expect(together).toHaveLength(batch.length);
    for (const [i, q] of batch.entries()) {
      expect(together[i]).toStrictEqual(finderFeatures(q, ctx));
    }
    expect(finderFeaturesOf([], ctx)).toEqual([]);
  });
});

describe("retrievalPlan: the first stage equals the exact score", () => {
  const profiles = sampleProfiles(3000);
  for (const request of REQUESTS) {
    it(JSON.stringify(request.customer), () => {
      const matcher = new Matcher(catalog, policy);
      const plan = matcher.candidateQuery(request).retrieval as RetrievalPlan;
      const inMarket = profiles.filter((p) =>
        [...p.markets, ...p.locations.map((l) => l.country)].includes(request.customer.country),
      );
      const out = matcher.rank(inMarket, { ...request, limit: inMarket.length }, new Date(0));
      expect(out.candidates.length).toBeGreaterThan(5);
      for (const c of out.candidates) {
        // Scores are rounded for the answer; the first stage is exact up to float rounding.
        expect(Math.abs(firstStage(plan, c.profile) - c.score)).toBeLessThan(1e-4);
      }
    });
  }

  it("takes its weights from the policy: a zero weight leaves its part out", () => {
    const plan = new Matcher(catalog, policy).candidateQuery(REQUESTS[1] as MatchRequest)
      .retrieval as RetrievalPlan;
    const names = plan.features.map((f) => f.name);
    expect(names).not.toContain("tool_usage");
    expect(names).toContain("tier");
    expect(plan.features.find((f) => f.name === "tier")?.weight).toBe(
      policy.data.match.weights.tier,
    );
    expect(plan.near?.weight).toBe(policy.data.match.weights.proximity);
    const services = plan.counted.find((c) => c.field === "services");
    const sum = services?.steps.reduce((a, b) => a + b, 0) ?? 0;
    expect(sum).toBeCloseTo(policy.data.match.weights.services, 12);
  });

  describe("deeperBar: when the best K cut into the page's tie group", () => {
    const plan = (limit: number, window: number) =>
      ({ page: { limit, window } }) as unknown as RetrievalPlan;
    it("asks nothing more when fewer than K came back (every eligible partner did)", () => {
      expect(deeperBar([5, 4, 4, 4], 10, plan(2, 0.1))).toBeUndefined();
    });
    it("asks nothing more when the K-th score is below the limit-th's window", () => {
      expect(deeperBar([5, 4, 3, 2, 1], 5, plan(2, 0.5))).toBeUndefined();
    });
    it("asks down to the limit-th score less the window when the K-th is inside it", () => {
      expect(deeperBar([5, 4, 3.95, 3.92], 4, plan(2, 0.1))).toBeCloseTo(3.9, 12);
      // A page as long as K: its last place may tie with partners beyond K.
      expect(deeperBar([5, 4, 3], 3, plan(3, 0.01))).toBeCloseTo(2.99, 12);
    });
  });
});
