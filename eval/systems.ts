// The rankings the evaluation compares on the same questions: ours (what the service ships) and
// two baselines per surface. Directory: "tier, then reviews" (what a plain directory does) and
// "text relevance only" (BM25 alone, no accredited-first, no boosts; id order without text).
// Match: among the same eligible candidates, "tier, then reviews" and "overlap only" (Jaccard
// overlap of the request's codes with the partner's declared codes, no record, no tier).
import type { Catalog } from "../src/catalog/catalog.js";
import { buildPolicy, type MarketPolicy } from "../src/catalog/policy.js";
import type { FeedEntry, Profile } from "../src/partner/schema.js";
import {
  bayesianRating,
  buildDirectoryPlan,
  type DirectoryPlan,
} from "../src/ranking/directory.js";
import { findMatches } from "../src/ranking/find-matches.js";
import { Matcher, type MatchRequest } from "../src/ranking/match.js";
import { MemoryBackend } from "../src/search/memory/memory-backend.js";
import type { DirectoryCase } from "./cases.js";

/** Fixed clock for the match rotation, so every run ranks alike. */
export const EVAL_NOW = new Date("2026-11-02T12:00:00Z");

export const SYSTEMS = ["ours", "tier_reviews", "text_only"] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const SYSTEM_LABELS: Record<SystemName, { directory: string; match: string }> = {
  ours: { directory: "ours", match: "ours" },
  tier_reviews: { directory: "tier, then reviews", match: "tier, then reviews (eligible)" },
  text_only: { directory: "text relevance only", match: "overlap only (eligible)" },
};

/** A policy like `base` with other directory or match weights. */
export function withWeights(
  base: MarketPolicy,
  catalog: Catalog,
  w: {
    directory?: Partial<MarketPolicy["data"]["directory"]["weights"]>;
    match?: Partial<MarketPolicy["data"]["match"]["weights"]>;
  },
): MarketPolicy {
  const data = structuredClone(base.data);
  Object.assign(data.directory.weights, w.directory ?? {});
  Object.assign(data.match.weights, w.match ?? {});
  return buildPolicy(data, catalog);
}

/** Everything the systems need: the feed loaded into engines built from one policy. */
export class EvalEngines {
  readonly backend: MemoryBackend;
  /** Same feed with no static boost: hit scores are BM25 alone. */
  private textBackend?: MemoryBackend;
  readonly matcher: Matcher;

  constructor(
    readonly catalog: Catalog,
    readonly policy: MarketPolicy,
    private readonly entries: readonly FeedEntry[],
    backend?: MemoryBackend,
  ) {
    this.backend = backend ?? loaded(catalog, policy, entries);
    this.matcher = new Matcher(catalog, policy);
  }

  private bm25(): MemoryBackend {
    this.textBackend ??= loaded(
      this.catalog,
      withWeights(this.policy, this.catalog, {
        directory: { text: 1, tier: 0, reviews: 0, certifications: 0 },
      }),
      this.entries,
    );
    return this.textBackend;
  }

  plan(c: DirectoryCase, size: number, sort: DirectoryPlan["sort"]): DirectoryPlan {
    const p = buildDirectoryPlan(
      { ...(c.q ? { q: c.q } : {}), filters: c.filters, page: 1, pageSize: size, sort },
      this.policy,
    );
    return { ...p, facets: [] };
  }

  directory(system: SystemName, c: DirectoryCase, k: number): string[] {
    switch (system) {
      case "ours":
        return ids(this.backend.directorySync(this.plan(c, k, "relevance")).hits);
      case "tier_reviews":
        return ids(this.backend.directorySync(this.plan(c, k, "tier")).hits);
      case "text_only": {
        const b = this.bm25();
        const all = b.directorySync(this.plan(c, b.size, "relevance")).hits;
        return all
          .map((h) => ({ id: h.profile.id, s: h.score }))
          .sort((x, y) => y.s - x.s || (x.id < y.id ? -1 : 1))
          .slice(0, k)
          .map((x) => x.id);
      }
    }
  }

  /** Every profile the finder would consider a candidate, in our order. */
  eligible(req: MatchRequest): Profile[] {
    if (!this.policy.matchingOffered(req.customer.country)) return [];
    const c = req.customer;
    const profiles = this.backend.candidatesSync({
      programLevels: this.catalog.referralLevels,
      country: c.country,
      ...(c.languages?.length ? { languages: c.languages } : {}),
    });
    return this.matcher
      .rank(profiles, { ...req, limit: profiles.length + 1 }, EVAL_NOW)
      .candidates.map((k) => k.profile);
  }

  async match(system: SystemName, req: MatchRequest, k: number): Promise<string[]> {
    // The HTTP route answers 422 market_not_offered before ranking: no candidates.
    if (!this.policy.matchingOffered(req.customer.country)) return [];
    if (system === "ours") {
      const r = await findMatches(this.backend, this.matcher, { ...req, limit: k }, EVAL_NOW);
      return r.candidates.map((x) => x.profile.id);
    }
    const eligible = this.eligible(req);
    const key = system === "tier_reviews" ? tierKey(this.catalog) : (p: Profile) => overlap(p, req);
    return eligible
      .map((p) => ({ id: p.id, ...key(p) }))
      .sort((x, y) => y.a - x.a || y.b - x.b || (x.id < y.id ? -1 : 1))
      .slice(0, k)
      .map((x) => x.id);
  }
}

function loaded(
  catalog: Catalog,
  policy: MarketPolicy,
  entries: readonly FeedEntry[],
): MemoryBackend {
  const b = new MemoryBackend(catalog, policy);
  b.applySync(entries);
  return b;
}

const ids = (hits: { profile: Pick<Profile, "id"> }[]) => hits.map((h) => h.profile.id);

function tierKey(catalog: Catalog) {
  return (p: Profile) => ({
    a: catalog.tierRank[p.tier] ?? 0,
    b: bayesianRating(p.reviews.count, p.reviews.average, { count: 5, average: 4 }),
  });
}

/** Jaccard overlap of the request's codes with the partner's declared ones. */
function overlap(p: Profile, req: MatchRequest): { a: number; b: number } {
  const c = req.customer;
  const want = new Set([
    ...(c.products ?? []).map((x) => `p:${x}`),
    ...(c.industry ? [`i:${c.industry}`] : []),
    ...(c.companySize ? [`s:${c.companySize}`] : []),
    ...(c.needs ?? []).map((x) => `v:${x}`),
    ...(c.languages ?? []).map((x) => `l:${x}`),
  ]);
  const have = new Set([
    ...p.products.map((x) => `p:${x}`),
    ...p.industries.map((x) => `i:${x}`),
    ...p.customerSizes.map((x) => `s:${x}`),
    ...p.services.map((x) => `v:${x}`),
    ...p.languages.map((x) => `l:${x}`),
  ]);
  let both = 0;
  for (const x of want) if (have.has(x)) both++;
  const union = want.size + have.size - both;
  return { a: union === 0 ? 0 : both / union, b: 0 };
}
