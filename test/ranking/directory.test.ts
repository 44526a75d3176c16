// The directory's pure functions (src/ranking/directory.ts): the plan a search becomes and the
// document each partner is indexed as. Expected values are worked out by hand in the comments,
// with weights and priors fixed here so that a policy edit does not move them.
import { describe, expect, it } from "vitest";
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import { buildPolicy, type MarketPolicy } from "../../src/catalog/policy.js";
import type { DirectoryPolicy } from "../../src/catalog/schema.js";
import type { Profile } from "../../src/partner/schema.js";
import {
  bayesianRating,
  buildDirectoryPlan,
  type DirectoryQuery,
  FILTER_FIELDS,
  relevanceScore,
  toDirectoryDoc,
} from "../../src/ranking/directory.js";
import { catalog, profiles, rawProfile } from "../helpers.js";

const WEIGHTS = { text: 2, tier: 1.5, reviews: 0.3, certifications: 0.3 };

function policyWith(directory: Partial<DirectoryPolicy>): MarketPolicy {
  const raw = structuredClone(policyJson);
  raw.directory = { ...raw.directory, weights: WEIGHTS, ...directory };
  return buildPolicy(raw, catalog);
}

/** Prior: 5 reviews averaging 4.0. */
const policy = policyWith({ reviewsPrior: { count: 5, average: 4 } });
/** No prior: the rating is the plain average (0 without reviews). */
const noPrior = policyWith({ reviewsPrior: { count: 0, average: 0 } });

const profile = (o: Record<string, unknown> = {}) => profiles([rawProfile(o)])[0] as Profile;
const query = (q: Partial<DirectoryQuery>): DirectoryQuery => ({
  filters: {},
  page: 1,
  pageSize: 20,
  sort: "relevance",
  ...q,
});

describe("buildDirectoryPlan", () => {
  it("keeps non-empty filters in field order, each with its values de-duplicated", () => {
    const plan = buildDirectoryPlan(
      query({
        filters: { tier: [], language: ["de"], country: ["DE", "AT", "DE"], industry: undefined },
      }),
      policy,
    );
    expect(plan.filters).toEqual([
      { field: "country", values: ["DE", "AT"] },
      { field: "language", values: ["de"] },
    ]);
  });

  it("turns page and page size into from and size", () => {
    expect(buildDirectoryPlan(query({ page: 1, pageSize: 20 }), policy)).toMatchObject({
      from: 0,
      size: 20,
    });
    // Page 3 of 10: skip pages 1 and 2, 20 hits.
    expect(buildDirectoryPlan(query({ page: 3, pageSize: 10 }), policy)).toMatchObject({
      from: 20,
      size: 10,
    });
  });

  it("has text only when the query has tokens, with unique folded terms and the raw query", () => {
    const plan = buildDirectoryPlan(query({ q: "CRM crm Köln", sort: "name" }), policy);
    expect(plan.text?.raw).toBe("CRM crm Köln");
    expect(plan.text?.words.map((w) => [w.text, w.alternatives.flat().map((t) => t.term)])).toEqual(
      [
        ["CRM", ["crm"]],
        ["Köln", ["koln"]],
      ],
    );
    expect(plan.sort).toBe("name");
    for (const q of [undefined, "", "   ", "!?-"]) {
      const p = buildDirectoryPlan(query(q === undefined ? {} : { q }), policy);
      expect("text" in p).toBe(false);
    }
  });

  it("asks for every facet and carries the policy's directory weights", () => {
    const plan = buildDirectoryPlan(query({}), policy);
    expect(plan.facets).toEqual([
      "country",
      "language",
      "industry",
      "service",
      "product",
      "customerSize",
      "tier",
      "accredited",
    ]);
    expect(plan.weights).toEqual(WEIGHTS);
  });
});

describe("bayesianRating", () => {
  const prior = { count: 5, average: 4 };

  it("shrinks few reviews toward the prior and leaves many close to their average", () => {
    expect(bayesianRating(0, 0, prior)).toBe(4); // no reviews: the prior itself
    expect(bayesianRating(1, 5, prior)).toBe(4.1667); // (5 + 5*4) / 6 = 4.16666...
    expect(bayesianRating(15, 4.8, prior)).toBe(4.6); // (72 + 20) / 20
    expect(bayesianRating(40, 4.8, prior)).toBe(4.7111); // (192 + 20) / 45 = 4.71111...
    // So one 5-star review ranks below forty reviews averaging 4.8.
    expect(bayesianRating(1, 5, prior)).toBeLessThan(bayesianRating(40, 4.8, prior));
  });

  it("is the plain average without a prior, and 0 with neither reviews nor prior", () => {
    expect(bayesianRating(10, 3.25, { count: 0, average: 4 })).toBe(3.25);
    expect(bayesianRating(0, 0, { count: 0, average: 4 })).toBe(0);
  });
});

describe("relevanceScore", () => {
  it("is text weight times text score plus the static boost", () => {
    expect(relevanceScore(2.5, { staticBoost: 0.4 }, WEIGHTS)).toBeCloseTo(5.4, 12); // 2*2.5 + 0.4
    expect(relevanceScore(0, { staticBoost: 0.4 }, WEIGHTS)).toBe(0.4);
    expect(relevanceScore(1, { staticBoost: 0 }, { ...WEIGHTS, text: 0 })).toBe(0);
  });
});

describe("toDirectoryDoc", () => {
  const raw = {
    id: "d-1",
    name: "Élan Data AG",
    description: "CRM setup, CRM help.",
    tier: "platinum",
    accreditations: [{ code: "onboarding" }],
    services: ["onboarding"],
    industries: ["software"],
    products: ["sales_hub"],
    languages: ["de", "en"],
    customerSizes: ["small"],
    locations: [
      { country: "DE", city: "Köln" },
      { country: "AT", city: "Wien" },
    ],
    markets: ["DE", "CH"],
    reviews: { count: 15, average: 4.8 },
    certificationsCount: 100,
    directoryListed: false,
  };

  it("derives facets, flags, rating, boost, name key and text tokens from the profile", () => {
    const doc = toDirectoryDoc(profile(raw), catalog, policy);
    expect({ ...doc, facets: { ...doc.facets, country: [...doc.facets.country].sort() } }).toEqual({
      id: "d-1",
      listed: false,
      facets: {
        country: ["AT", "CH", "DE"], // located in DE and AT, serves DE and CH
        language: ["de", "en"],
        industry: ["software"],
        service: ["onboarding"],
        product: ["sales_hub"],
        customerSize: ["small"],
        tier: ["platinum"],
        accredited: ["true"],
      },
      accredited: true,
      tierRank: 2,
      rating: 4.6, // (15*4.8 + 5*4) / 20
      reviewCount: 15,
      // tier 1.5 * 2/4 + reviews 0.3 * 4.6/5 + certifications 0.3 * min(1, ln 101 / ln 101)
      // = 0.75 + 0.276 + 0.3
      staticBoost: 1.326,
      nameKey: "elan data ag",
      text: {
        name: ["elan", "data", "ag"],
        city: ["koln", "cologne", "wien", "vienna"],
        // service label, accreditation label, industry label, product label
        services: ["onboarding", "onboarding", "software", "sales", "hub"],
        description: ["crm", "setup", "crm", "help"],
      },
    });
  });

  it("lists a country once when the partner is located there and serves it", () => {
    const doc = toDirectoryDoc(profile(raw), catalog, policy);
    expect(doc.facets.country.filter((c) => c === "DE")).toHaveLength(1);
  });

  it("marks a partner without accreditations as not accredited", () => {
    const doc = toDirectoryDoc(profile({ ...raw, accreditations: [] }), catalog, policy);
    expect(doc.accredited).toBe(false);
    expect(doc.facets.accredited).toEqual(["false"]);
  });

  it("puts the static boost at 0 for the weakest profile and at the sum of its weights for the strongest", () => {
    // Untiered, no reviews and no prior, no certifications: nothing to boost.
    const bottom = profile({
      tier: "none",
      reviews: { count: 0, average: 0 },
      certificationsCount: 0,
    });
    expect(toDirectoryDoc(bottom, catalog, noPrior).staticBoost).toBe(0);
    // Top tier, a 5.0 average, certifications past the cap of 100: 1.5 + 0.3 + 0.3.
    const top = profile({
      tier: "elite",
      reviews: { count: 10, average: 5 },
      certificationsCount: 5000,
    });
    expect(toDirectoryDoc(top, catalog, noPrior).staticBoost).toBe(2.1);
  });

  it("raises the static boost with every tier step, other things equal", () => {
    // Tier ranks 0..4 over a max of 4: each step adds 1.5 / 4 = 0.375.
    const tiers = ["none", "gold", "platinum", "diamond", "elite"];
    const docs = tiers.map((tier) => toDirectoryDoc(profile({ ...raw, tier }), catalog, policy));
    expect(docs.map((d) => d.tierRank)).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < docs.length; i++) {
      const step = (docs[i]?.staticBoost ?? 0) - (docs[i - 1]?.staticBoost ?? 0);
      expect(step).toBeCloseTo(0.375, 4);
    }
  });

  it("counts certifications on a log scale that saturates at 100", () => {
    const boost = (certificationsCount: number) =>
      toDirectoryDoc(profile({ ...raw, certificationsCount }), catalog, policy).staticBoost;
    // 0.75 + 0.276 + 0.3 * ln(1 + 9) / ln(101) = 1.026 + 0.3 * 0.49890 = 1.17567 -> 1.1757
    expect(boost(9)).toBe(1.1757);
    expect(boost(0)).toBe(1.026);
    expect(boost(1000)).toBe(boost(100));
  });

  it("covers every filter field in the facets", () => {
    const doc = toDirectoryDoc(profile(raw), catalog, policy);
    expect(Object.keys(doc.facets).sort()).toEqual([...FILTER_FIELDS].sort());
  });
});
