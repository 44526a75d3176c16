// The finder's first-stage request (rerank-queries.ts): its shape, with no script anywhere (a
// cluster may run without painless), every hard rule in the post filter, and the coverage
// aggregations over the whole market.
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../../src/catalog/catalog.js";
import { defaultPolicy } from "../../../src/catalog/policy.js";
import type { RetrievalPlan } from "../../../src/ranking/candidates.js";
import { Matcher, type MatchRequest } from "../../../src/ranking/match.js";
import { lastStep, rerankSearch } from "../../../src/search/elasticsearch/rerank-queries.js";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const matcher = new Matcher(catalog, policy);

const request: MatchRequest = {
  customer: {
    country: "US",
    languages: ["en", "es"],
    products: ["sales_hub"],
    industry: "software",
    companySize: "medium",
    needs: ["crm_implementation", "seo"],
    location: { lat: 40.71, lon: -74.0 },
    partnerOfRecord: "p-1",
  },
  motion: "difm",
  limit: 10,
};

function searchOf(r: MatchRequest, k = 200) {
  const q = matcher.candidateQuery(r);
  return rerankSearch(q, q.retrieval as RetrievalPlan, "partners", k);
}

const countsOf = (r: MatchRequest) => searchOf(r).counts ?? {};

describe("rerankSearch", () => {
  const s = searchOf(request).top;
  const c = countsOf(request);
  const json = JSON.stringify(searchOf(request));

  it("asks for the best K by a function_score summed without scripts", () => {
    expect(s.size).toBe(200);
    expect(json).not.toMatch(/script/);
    const fs = (s.query as { function_score: Record<string, unknown> }).function_score;
    expect(fs.score_mode).toBe("sum");
    expect(fs.boost_mode).toBe("replace");
    expect(s.sort).toEqual([{ _score: { order: "desc" } }, { id: "asc" }]);
    expect(s.track_total_hits).toBe(false);
  });

  it("scores with the policy's weights: features, terms, counted needs and a geo decay", () => {
    const fns = (s.query as { function_score: { functions: Record<string, unknown>[] } })
      .function_score.functions;
    expect(fns[0]).toEqual({ weight: 1 });
    expect(fns).toContainEqual({
      field_value_factor: {
        field: "search.finder.tier",
        factor: policy.data.match.weights.tier,
        missing: 0,
      },
    });
    expect(fns).toContainEqual({
      filter: { terms: { id: ["p-1"] } },
      weight: policy.data.match.weights.partner_of_record,
    });
    const exp = fns.find((f) => "exp" in f) as { exp: Record<string, unknown>; filter: unknown };
    expect(exp.filter).toEqual({ exists: { field: "search.geo" } });
    expect(exp.exp["search.geo"]).toEqual({
      origin: { lat: 40.71, lon: -74.0 },
      scale: `${policy.data.match.features.decayKm}km`,
      decay: Math.exp(-1),
    });
    // Two needs: "at least one" and "both" each add their step of sqrt(matched / 2).
    const needs = fns.filter((f) => JSON.stringify(f.filter ?? "").includes('"seo"'));
    expect(needs).toHaveLength(2);
  });

  it("filters every hard rule in the scored query, and counts each step over the market", () => {
    const scored = JSON.stringify(
      (s.query as { function_score: { query: unknown } }).function_score.query,
    );
    expect(scored).toContain('"languages":["en","es"]');
    expect(scored).toContain("internal.capacity.acceptingReferrals");
    expect(scored).toContain("search.finder.retention");
    expect(scored).toContain("internal.trackRecord.products.sales_hub");
    expect(scored).toContain("internal.trackRecord.industries.software");
    expect(s.aggs).toBeUndefined();
    expect(c.size).toBe(0);
    expect(JSON.stringify(c.query)).not.toContain("acceptingReferrals");
    const coverage =
      (c.aggs as Record<string, { filters: { filters: Record<string, unknown> } }>).coverage
        ?.filters.filters ?? {};
    expect(Object.keys(coverage)).toEqual([
      "language",
      "accepting",
      "capacity",
      "eligible",
      "qualified",
    ]);
    expect(c.aggs?.market).toEqual({ filter: { match_all: {} } });
  });

  it("leaves the qualified step out where the motion takes accredited partners only", () => {
    const t = countsOf({ ...request, motion: "upmarket_referral" });
    const coverage =
      (t.aggs as Record<string, { filters: { filters: Record<string, unknown> } }>).coverage
        ?.filters.filters ?? {};
    expect(Object.keys(coverage)).not.toContain("qualified");
  });

  it("reads the eligible count off the last step", () => {
    expect(lastStep({ language: 9, accepting: 8, capacity: 7, eligible: 5, qualified: 3 })).toBe(3);
    expect(lastStep({ language: 9, accepting: 8, capacity: 7, eligible: 5 })).toBe(5);
    expect(lastStep({})).toBeUndefined();
  });
});
