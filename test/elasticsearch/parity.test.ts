// Parity: one suite of directory and candidate queries through the embedded backend and through
// Elasticsearch on the same 10k feed. Filter-only searches must agree exactly (set, order,
// totals, facets); text searches must match the same set with the same facets, nearly the same
// scores, and agree on at least 80% of the top 10 (Elasticsearch scores in float32 and encodes
// field lengths in one byte, so near-ties may swap).
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeedEntry } from "../../src/partner/schema.js";
import {
  buildDirectoryPlan,
  type DirectoryPlan,
  type DirectoryQuery,
  type DirectorySort,
  placeOf,
} from "../../src/ranking/directory.js";
import { type FindResult, findMatches } from "../../src/ranking/find-matches.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import type { CandidateQuery, DirectoryResult } from "../../src/search/backend.js";
import type { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import { directorySearches, facetSizes } from "../../src/search/elasticsearch/queries.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";
import {
  catalog,
  dropAlias,
  esUrl,
  policy,
  sampleEntries,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

type Q = Partial<DirectoryQuery> & { filters?: DirectoryQuery["filters"] };
const query = (q: Q): DirectoryQuery => ({
  filters: {},
  page: 1,
  pageSize: 20,
  sort: "relevance",
  ...q,
});

const SORTS: DirectorySort[] = ["relevance", "tier", "rating", "name"];

const FILTER_QUERIES: [string, Q][] = [
  ["everything", {}],
  ["one country", { filters: { country: ["DE"] } }],
  ["country served or located, two values", { filters: { country: ["AT", "CH"] } }],
  ["Japan in Japanese", { filters: { country: ["JP"], language: ["ja"] } }],
  ["industries OR", { filters: { industry: ["manufacturing", "healthcare"] } }],
  [
    "service AND product AND size",
    {
      filters: {
        service: ["crm_implementation"],
        product: ["sales_hub"],
        customerSize: ["large", "enterprise"],
      },
    },
  ],
  ["tier", { filters: { tier: ["diamond", "elite"] } }],
  ["accredited only", { filters: { accredited: ["true"] } }],
  [
    "many fields",
    {
      filters: {
        country: ["US", "GB", "DE", "FR"],
        language: ["en", "de"],
        industry: ["software"],
        tier: ["gold", "platinum"],
      },
    },
  ],
  ["nothing matches", { filters: { country: ["AQ"] } }],
];

const TEXT_QUERIES: [string, Q][] = [
  ["English services", { q: "crm implementation" }],
  ["English with a city", { q: "hubspot onboarding london" }],
  ["German compound", { q: "Marketingagentur" }],
  ["German words", { q: "Vertriebsberatung München" }],
  ["German umlaut folding", { q: "Lösungen für Hersteller" }],
  ["Japanese", { q: "導入支援" }],
  ["Japanese mixed", { q: "東京 マーケティング" }],
  ["French", { q: "intégration CRM" }],
  ["text and filters", { q: "sales training", filters: { country: ["DE", "AT"] } }],
  ["text, filter and tier sort", { q: "seo", filters: { language: ["en"] }, sort: "tier" }],
  ["text sorted by name", { q: "revops", sort: "name" }],
  // Every word must match: exactly, the last as a prefix, long ones within one edit.
  ["every word", { q: "crm migration" }],
  ["a place in the query", { q: "agency berlin ecommerce" }],
  ["last word as a prefix", { q: "crm migrat" }],
  ["short last word as a prefix", { q: "sales tr" }],
  ["one edit", { q: "migraton" }],
  ["swapped letters", { q: "hubspot onbaording" }],
  ["one edit in a German compound", { q: "Schnittstellenentwicklng" }],
  ["one edit, German words", { q: "Beratng München" }],
  ["French one edit with a filter", { q: "intégraton crm", filters: { country: ["FR"] } }],
];

/** The cases above that some partner matches with every word. */
const MATCH_EVERY_WORD = new Set(
  TEXT_QUERIES.slice(TEXT_QUERIES.findIndex(([n]) => n === "every word")).map(([name]) => name),
);

/** Nobody matches every word: both backends must drop the same words and find the same set. */
const RELAXED_QUERIES: [string, Q, string[]][] = [
  ["an unknown word", { q: "hubspot onboarding zzzqqq" }, ["zzzqqq"]],
  ["two unknown words", { q: "qqqxx crm zzzqqq" }, ["qqqxx", "zzzqqq"]],
  ["two places nobody is in", { q: "agency adelaide trondheim" }, []],
  ["a place outside the filter", { q: "agency manchester", filters: { country: ["JP"] } }, []],
  // The circle narrows the counts the dropped word is chosen by, as a filter does.
  [
    "a place outside the circle",
    { q: "agency manchester", near: { lat: 35.68, lon: 139.69 }, radiusKm: 200 },
    [],
  ],
];

const LONDON = { lat: 51.5074, lon: -0.1278 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

/** Near, radius, distance order, budget and locatedIn: filter-only, so they must agree exactly. */
const GEO_QUERIES: [string, Q][] = [
  ["near London, default radius", { near: LONDON }],
  ["near London, by distance", { near: LONDON, sort: "distance" }],
  ["near London 5 km, by distance", { near: LONDON, radiusKm: 5, sort: "distance" }],
  [
    "near Berlin 300 km with filters, by distance, page 2",
    {
      near: BERLIN,
      radiusKm: 300,
      filters: { language: ["de"], tier: ["gold", "platinum", "diamond"] },
      sort: "distance",
      page: 2,
      pageSize: 10,
    },
  ],
  ["near New York 1000 km, by rating", { near: NEW_YORK, radiusKm: 1000, sort: "rating" }],
  [
    "near New York 1000 km, by distance, deep page",
    { near: NEW_YORK, radiusKm: 1000, sort: "distance", page: 9, pageSize: 50 },
  ],
  // Across the antimeridian: the circle reaches New Zealand's North Island from 179.9 E.
  [
    "across the antimeridian",
    { near: { lat: -37.8, lon: 179.9 }, radiusKm: 1000, sort: "distance" },
  ],
  ["mid-Pacific: nothing near", { near: { lat: 0, lon: -150 }, radiusKm: 1000 }],
  ["budget 5000", { budgetUsd: 5000 }],
  ["budget 0: only partners without a minimum", { budgetUsd: 0, sort: "name" }],
  ["budget and country", { budgetUsd: 10_000, filters: { country: ["DE", "AT"] } }],
  [
    "near, budget and a country it serves",
    {
      near: BERLIN,
      radiusKm: 1000,
      budgetUsd: 2500,
      filters: { country: ["PL"] },
      sort: "distance",
    },
  ],
  ["country: located in or serving", { filters: { country: ["CH", "LI"] }, sort: "tier" }],
];

/** What each hit says about its place (distanceKm, locatedIn), as the route answers it. */
const places = (plan: DirectoryPlan, r: DirectoryResult) =>
  r.hits.map((h) => ({ id: h.profile.id, ...placeOf(h.profile, plan) }));

const CANDIDATE_QUERIES: CandidateQuery[] = [
  { programLevels: catalog.referralLevels, country: "DE" },
  { programLevels: catalog.referralLevels, country: "DE", languages: ["de"] },
  { programLevels: catalog.referralLevels, country: "US" },
  { programLevels: catalog.referralLevels, country: "GB", languages: ["en", "fr"] },
  { programLevels: catalog.referralLevels, country: "JP" },
  { programLevels: catalog.referralLevels, country: "FR", languages: ["fr"] },
  { programLevels: catalog.referralLevels, country: "BR", languages: ["pt", "es"] },
  { programLevels: catalog.referralLevels, country: "AQ" },
  { programLevels: catalog.referralLevels, country: "US", withCapacity: true },
  // Languages counted for coverage, not filtered on.
  { programLevels: catalog.referralLevels, country: "CH", countLanguages: ["fr", "it"] },
  {
    programLevels: catalog.referralLevels,
    country: "DE",
    countLanguages: ["de"],
    withCapacity: true,
    eligibleIf: {
      accreditationsAny: ["crm_implementation"],
      qualified: { tiersAny: ["gold", "platinum", "diamond", "elite"], minRetention: 0.8 },
    },
  },
  {
    programLevels: catalog.referralLevels,
    country: "US",
    withCapacity: true,
    eligibleIf: {
      accreditationsAny: ["crm_implementation", "onboarding"],
      qualified: { tiersAny: ["gold", "platinum", "diamond", "elite"], minRetention: 0.8 },
    },
  },
  {
    programLevels: catalog.referralLevels,
    country: "DE",
    eligibleIf: { accreditationsAny: ["crm_implementation"] },
  },
  {
    programLevels: catalog.referralLevels,
    country: "JP",
    eligibleIf: { accreditationsAny: [], qualified: { minRetention: 0.85 } },
  },
  {
    programLevels: catalog.referralLevels,
    country: "GB",
    languages: ["en"],
    eligibleIf: { accreditationsAny: [] },
  },
];

/** A finder result without the ranking's internal count of what it ranked. */
const answered = ({ failedRules: _ranked, ...rest }: FindResult) => rest;

/** Finder requests whose answers must be identical through both backends. */
const MATCH_REQUESTS: MatchRequest[] = [
  { customer: { country: "US" }, limit: 10 },
  {
    customer: {
      country: "US",
      languages: ["en"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub", "smart_crm"],
      needs: ["crm_implementation", "custom_integration"],
      location: { lat: 40.71, lon: -74.0 },
      id: "crm-1",
    },
    motion: "upmarket_referral",
    limit: 5,
  },
  {
    customer: {
      country: "DE",
      languages: ["de"],
      needs: ["onboarding"],
      industry: "manufacturing",
    },
    motion: "difm",
    limit: 8,
  },
  { customer: { country: "JP", languages: ["ja"], products: ["marketing_hub"] }, limit: 5 },
  { customer: { country: "GB", companySize: "large" }, motion: "upmarket_referral", limit: 20 },
  // Several needs no single eligible partner covers: teams (found in the 10k sample).
  {
    customer: {
      country: "CH",
      languages: ["de", "fr"],
      needs: ["solutions_architecture", "inbound_marketing", "customer_service_setup"],
    },
    limit: 5,
  },
  {
    customer: {
      country: "NL",
      needs: ["custom_integration", "solutions_architecture", "customer_service_setup"],
    },
    motion: "difm",
    limit: 3,
  },
  {
    customer: { country: "DE", languages: ["en"], needs: ["crm_implementation"] },
    motion: "upmarket_referral",
    limit: 5,
  },
];

const ids = (r: DirectoryResult) => r.hits.map((h) => h.profile.id);

describe.skipIf(!esUrl)("parity: embedded backend vs Elasticsearch", () => {
  let client: Client;
  let es: ElasticsearchBackend;
  let exhaustive: ElasticsearchBackend;
  let memory: MemoryBackend;
  let entries: FeedEntry[];
  const alias = testAlias("parity");
  const overlaps: [string, number][] = [];

  beforeAll(async () => {
    client = testClient();
    es = testBackend(client, alias);
    exhaustive = testBackend(client, alias, { finderMode: "exhaustive" });
    memory = new MemoryBackend(catalog, policy);
    entries = await sampleEntries();
    const [m, e] = await Promise.all([memory.apply(entries), es.apply(entries)]);
    expect(e).toEqual(m);
  });

  afterAll(async () => {
    if (overlaps.length > 0) {
      console.log(
        `top-10 overlap per text query: ${overlaps.map(([n, o]) => `${n} ${o.toFixed(2)}`).join(", ")}`,
      );
    }
    await dropAlias(client, alias);
    await client.close();
  });

  it("holds the same profiles", async () => {
    const some = entries.filter((_, i) => i % 997 === 0);
    for (const e of some) {
      const id = e.kind === "upsert" ? e.profile.id : e.tombstone.id;
      expect(await es.get(id)).toEqual(await memory.get(id));
    }
  });

  for (const [name, q] of FILTER_QUERIES) {
    for (const sort of SORTS) {
      it(`filter-only "${name}" sorted by ${sort}: same hits, order, total and facets`, async () => {
        const plan = buildDirectoryPlan(query({ ...q, sort }), policy);
        const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
        expect(e.total).toBe(m.total);
        expect(ids(e)).toEqual(ids(m));
        expect(e.facets).toEqual(m.facets);
        e.hits.forEach((h, i) => {
          expect(h.score).toBeCloseTo(m.hits[i]?.score ?? Number.NaN, 6);
        });
      });
    }
  }

  for (const [name, q] of GEO_QUERIES) {
    it(`geo/budget "${name}": same hits, order, total, facets, distanceKm and locatedIn`, async () => {
      const plan = buildDirectoryPlan(query(q), policy);
      const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
      expect(e.total).toBe(m.total);
      expect(ids(e)).toEqual(ids(m));
      expect(e.facets).toEqual(m.facets);
      expect(places(plan, e)).toEqual(places(plan, m));
      if (name.includes("nothing")) expect(m.total).toBe(0);
      else expect(m.hits.length).toBeGreaterThan(0);
      const got = places(plan, m);
      if (plan.near) {
        const radius = plan.near.radiusKm;
        for (const p of got) expect(p.distanceKm).toBeLessThanOrEqual(radius + 0.05);
      }
      if (plan.sort === "distance") {
        const km = got.map((p) => p.distanceKm ?? Number.NaN);
        expect(km).toEqual([...km].sort((a, b) => a - b));
      }
      if (q.budgetUsd !== undefined) {
        for (const h of m.hits) {
          expect(h.profile.minProjectBudgetUsd ?? 0).toBeLessThanOrEqual(q.budgetUsd);
        }
      }
    });
  }

  it("circles around random partners' locations, of every size, agree exactly", async () => {
    // Seeded: centred on real locations, so circles hold partners at every distance from 0 up.
    let seed = 20_261_202;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const located = entries.flatMap((e) =>
      e.kind === "upsert" ? e.profile.locations.filter((l) => l.lat !== undefined) : [],
    );
    const radii = [1, 3, 12, 40, 150, 600, 1000];
    for (let i = 0; i < 24; i++) {
      const at = located[Math.floor(next() * located.length)] as { lat: number; lon: number };
      const q: Q = {
        near: { lat: at.lat, lon: at.lon },
        radiusKm: radii[i % radii.length] as number,
        sort: i % 3 === 0 ? "relevance" : "distance",
        page: 1 + (i % 2),
        pageSize: 25,
        ...(i % 4 === 1 ? { budgetUsd: 10_000 } : {}),
      };
      const plan = buildDirectoryPlan(query(q), policy);
      const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
      const why = JSON.stringify(q);
      expect(e.total, why).toBe(m.total);
      expect(ids(e), why).toEqual(ids(m));
      expect(e.facets, why).toEqual(m.facets);
      expect(places(plan, e), why).toEqual(places(plan, m));
    }
  });

  it("near with text, by distance: the same matches and facets, the same distances in order", async () => {
    const plan = buildDirectoryPlan(
      query({ q: "crm", near: LONDON, radiusKm: 400, sort: "distance", pageSize: 30 }),
      policy,
    );
    const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
    expect(e.total).toBe(m.total);
    expect(m.total).toBeGreaterThan(0);
    expect(e.facets).toEqual(m.facets);
    const km = (r: DirectoryResult) => places(plan, r).map((p) => p.distanceKm);
    expect(km(e)).toEqual(km(m));
  });

  it("pages through a filter-only result identically, deep pages included", async () => {
    for (const page of [2, 7, 40]) {
      const plan = buildDirectoryPlan(
        query({ filters: { language: ["en"] }, page, pageSize: 50 }),
        policy,
      );
      const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
      expect(ids(e)).toEqual(ids(m));
      expect(e.total).toBe(m.total);
    }
  });

  it("reads a text page accredited partners first as one search in the whole order would", async () => {
    // The backend splits a relevance page at the accredited partners (accredited-first.ts);
    // the oracle is the page search over the whole order, on the same node.
    const pageOf = async (plan: DirectoryPlan) => {
      const hits = directorySearches(plan, alias, facetSizes(catalog), policy.data.directory).hits;
      if (!hits) return [];
      const res = await client.search<FeedEntry>(hits);
      return res.hits.hits.map((h) => h._id);
    };
    const q = "crm implementation";
    const plan1 = buildDirectoryPlan(query({ q, pageSize: 10 }), policy);
    const accredited = (await es.directory(plan1)).facets.accredited?.true ?? 0;
    // The page that ends the accredited ones, the next, and one well past them.
    expect(accredited % 10).not.toBe(0);
    const boundary = Math.floor(accredited / 10) + 1;
    const planOf = (page: number) => buildDirectoryPlan(query({ q, page, pageSize: 10 }), policy);
    // A backend that has not seen the query reads the boundary page's rest in a second trip.
    const fresh = testBackend(client, alias);
    expect(ids(await fresh.directory(planOf(boundary)))).toEqual(await pageOf(planOf(boundary)));
    expect(fresh.splitPageReads).toEqual({ sentAhead: 0, secondTrip: 1 });
    // Having seen it (page 1 here), it sends the rest with the first part, on every page past
    // the accredited ones; a page within them needs no rest.
    const seen = testBackend(client, alias);
    for (const page of [1, boundary, boundary + 1, boundary + 5]) {
      const plan = planOf(page);
      const e = await seen.directory(plan);
      expect(ids(e)).toEqual(await pageOf(plan));
      expect(ids(e)).toHaveLength(10);
    }
    expect(seen.splitPageReads).toEqual({ sentAhead: 3, secondTrip: 0 });
    // A filter leaving the accredited side alone: no split, the same page.
    const only = buildDirectoryPlan(
      query({ q, filters: { accredited: ["false"] }, page: 2, pageSize: 10 }),
      policy,
    );
    expect(ids(await es.directory(only))).toEqual(await pageOf(only));
  });

  for (const [name, q] of TEXT_QUERIES) {
    it(`text "${name}": same matches and facets, top 10 overlap >= 0.8`, async () => {
      const plan = buildDirectoryPlan(query({ ...q, pageSize: 10 }), policy);
      expect(plan.text).toBeDefined();
      const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
      expect(e.total).toBe(m.total);
      expect(e.total).toBeGreaterThan(0);
      // Some older cases have no partner matching every word ("Lösungen für Hersteller"):
      // then both drop the same words.
      expect(e.relaxed).toEqual(m.relaxed);
      if (MATCH_EVERY_WORD.has(name)) expect(m.relaxed).toBeUndefined();
      expect(e.facets).toEqual(m.facets);
      const mine = new Set(ids(m));
      const overlap = ids(e).filter((id) => mine.has(id)).length / Math.max(1, mine.size);
      overlaps.push([name, overlap]);
      expect(overlap).toBeGreaterThanOrEqual(0.8);
      // Same formula on both sides: a partner in both top 10s has nearly the same score. Long
      // fields (Japanese bigrams) differ by a few percent: Lucene stores lengths above 24 in a
      // lossy one-byte norm.
      const memoryScore = new Map(m.hits.map((h) => [h.profile.id, h.score]));
      for (const h of e.hits) {
        const s = memoryScore.get(h.profile.id);
        if (s !== undefined) expect(Math.abs(h.score - s)).toBeLessThan(0.05 * Math.max(1, s));
      }
      if (plan.sort === "relevance") {
        // Accredited partners first, in both.
        const acc = e.hits.map((h) => h.profile.accreditations.length > 0);
        expect(acc).toEqual([...acc].sort((a, b) => Number(b) - Number(a)));
      }
    });
  }

  for (const [name, q, expected] of RELAXED_QUERIES) {
    it(`relaxed "${name}": the same words dropped, the same matches`, async () => {
      const plan = buildDirectoryPlan(query({ ...q, pageSize: 10 }), policy);
      const [m, e] = await Promise.all([memory.directory(plan), es.directory(plan)]);
      expect(m.relaxed?.dropped.length).toBeGreaterThan(0);
      if (expected.length > 0) expect(m.relaxed?.dropped).toEqual(expected);
      expect(e.relaxed).toEqual(m.relaxed);
      expect(e.total).toBe(m.total);
      expect(e.total).toBeGreaterThan(0);
      expect(e.facets).toEqual(m.facets);
      const mine = new Set(ids(m));
      const overlap = ids(e).filter((id) => mine.has(id)).length / Math.max(1, mine.size);
      expect(overlap).toBeGreaterThanOrEqual(0.8);
    });
  }

  for (const cq of CANDIDATE_QUERIES) {
    it(`candidates ${JSON.stringify(cq)}: the same set`, async () => {
      const [m, e] = await Promise.all([memory.candidates(cq), es.candidates(cq)]);
      const sorted = (ps: { id: string }[]) => ps.map((p) => p.id).sort();
      expect(sorted(e.profiles)).toEqual(sorted(m.profiles));
      expect(e.marketSize).toBe(m.marketSize);
      // Coverage: the same drops per pre-filter, from the same masks and the same filters agg.
      expect(e.excludedBy).toEqual(m.excludedBy);
      // Without counted languages the drops account for every market partner not returned.
      const dropped = Object.values(e.excludedBy).reduce((sum, v) => sum + v, 0);
      if (!cq.countLanguages) expect(e.marketSize - dropped).toBe(e.profiles.length);
      if (cq.country === "DE" && !cq.eligibleIf) expect(e.profiles.length).toBeGreaterThan(100);
    });
  }

  it("narrows candidates with the pre-filters", async () => {
    const all = await es.candidates({ programLevels: catalog.referralLevels, country: "US" });
    const pre = await es.candidates(
      new Matcher(catalog, policy).candidateQuery(MATCH_REQUESTS[0] as MatchRequest),
    );
    expect(pre.marketSize).toBe(all.profiles.length);
    expect(pre.profiles.length).toBeGreaterThan(0);
    expect(pre.profiles.length).toBeLessThan(all.profiles.length / 2);
  });

  for (const request of MATCH_REQUESTS) {
    it(`finder answers ${JSON.stringify(request)} identically`, async () => {
      const matcher = new Matcher(catalog, policy);
      const now = new Date("2026-11-23T12:00:00Z");
      const [m, e, x] = await Promise.all([
        findMatches(memory, matcher, request, now),
        findMatches(es, new Matcher(catalog, policy), request, now),
        findMatches(exhaustive, new Matcher(catalog, policy), request, now),
      ]);
      expect(e.candidates.length).toBeGreaterThan(0);
      // Coverage and teams included: both come out the same from either backend; the
      // exhaustive read to the last internal count, the default rerank in all it answers
      // (its ranking sees only eligible partners: failedRules counts what it ranked).
      expect(JSON.stringify(x)).toBe(JSON.stringify(m));
      expect(JSON.stringify(answered(e))).toBe(JSON.stringify(answered(m)));
      const excluded = Object.values(e.coverage.excludedBy).reduce((a, b) => a + b, 0);
      expect(excluded + e.coverage.eligible).toBe(e.considered);
      if ((request.customer.needs?.length ?? 0) >= 2) expect(e.teams).toBeDefined();
    });
  }

  it("reports an ineligible partner of record the same way", async () => {
    const all = await memory.candidates({ programLevels: catalog.referralLevels, country: "US" });
    const matcher = new Matcher(catalog, policy);
    const now = new Date("2026-11-23T12:00:00Z");
    const noCapacity = all.profiles.find(
      (p) =>
        p.internal.capacity.acceptingReferrals &&
        p.internal.capacity.openReferrals >= p.internal.capacity.maxOpenReferrals,
    );
    expect(noCapacity).toBeDefined();
    const request: MatchRequest = {
      customer: { country: "US", partnerOfRecord: noCapacity?.id as string },
      limit: 5,
    };
    const [m, e, x] = await Promise.all([
      findMatches(memory, matcher, request, now),
      findMatches(es, new Matcher(catalog, policy), request, now),
      findMatches(exhaustive, new Matcher(catalog, policy), request, now),
    ]);
    expect(JSON.stringify(x)).toBe(JSON.stringify(m));
    expect(m.partnerOfRecord).toEqual({
      id: noCapacity?.id,
      eligible: false,
      found: true,
      failedRule: "capacity",
    });
    expect(JSON.stringify(answered(e))).toBe(JSON.stringify(answered(m)));
  });

  it("reads a large market in pages without losing or repeating a partner", async () => {
    const paged = testBackend(client, alias, { candidatePageSize: 97 });
    const cq = { programLevels: catalog.referralLevels, country: "US" };
    const [m, e] = await Promise.all([memory.candidates(cq), paged.candidates(cq)]);
    expect(e.profiles.length).toBeGreaterThan(97 * 3);
    expect(e.profiles.map((p) => p.id)).toEqual(m.profiles.map((p) => p.id).sort());
    const pre = { programLevels: catalog.referralLevels, country: "US", withCapacity: true };
    const [mp, ep] = await Promise.all([memory.candidates(pre), paged.candidates(pre)]);
    expect(ep.profiles.map((p) => p.id)).toEqual(mp.profiles.map((p) => p.id));
    expect(ep.marketSize).toBe(mp.marketSize);
    expect(ep.excludedBy).toEqual(mp.excludedBy);
  });

  it("finds teams for needs no single partner covers, on both backends", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    const request = MATCH_REQUESTS.find((r) => r.customer.country === "CH") as MatchRequest;
    const [m, e] = await Promise.all([
      findMatches(memory, new Matcher(catalog, policy), request, now),
      findMatches(es, new Matcher(catalog, policy), request, now),
    ]);
    expect(m.teams?.length).toBeGreaterThan(0);
    expect(e.teams).toEqual(m.teams);
    expect(e.coverage).toEqual(m.coverage);
  });
});
