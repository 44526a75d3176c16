// Public directory ranking, as pure functions: the backend-neutral plan a directory search
// becomes, and the per-partner search document both backends index. The document carries the
// static boost (tier, reviews, certifications) precomputed here, so every backend orders
// filter-only results identically.
import type { Catalog, CodeKind } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { DirectoryPolicy } from "../catalog/schema.js";
import type { Profile } from "../partner/schema.js";
import { nearestKm, roundKm } from "./geo.js";
import { cityNames } from "./places.js";
import { countriesServed } from "./rules.js";
import { fold, type QueryWord, queryWords, tokenize } from "./tokenize.js";

/** Filterable and facetable fields, named as the API's query parameters. */
export const FILTER_FIELDS = [
  "country",
  "language",
  "industry",
  "service",
  "product",
  "customerSize",
  "tier",
  "accredited",
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The catalog list each filter field's values come from; `accredited` is a plain boolean. */
export const FILTER_FIELD_KIND = {
  country: "country",
  language: "language",
  industry: "industry",
  service: "service",
  product: "product",
  customerSize: "customerSize",
  tier: "tier",
  accredited: undefined,
} as const satisfies Record<FilterField, CodeKind | undefined>;

export const DIRECTORY_SORTS = ["relevance", "tier", "rating", "name", "distance"] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

/**
 * What a sort orders by: fields of the directory document, and `relevance`, a hit's relevance
 * score (relevanceScore: text x weight + static boost; the static boost alone without text), and
 * `distance`, a hit's distance from the `near` point (nearestKm).
 */
export type SortField =
  | "distance"
  | "accredited"
  | "relevance"
  | "tierRank"
  | "rating"
  | "reviewCount"
  | "nameKey"
  | "id";
export interface SortKey {
  field: SortField;
  order: "asc" | "desc";
}
const desc = (field: SortField): SortKey => ({ field, order: "desc" });
const asc = (field: SortField): SortKey => ({ field, order: "asc" });

/**
 * The order of every sort, ties broken by id last. This is the one statement of "accredited
 * partners come first" (DOMAIN.md): backends translate these keys (the embedded engine into
 * comparators and heap keys, Elasticsearch into `sort` clauses) and never restate them.
 */
export const SORT_ORDERS: Readonly<Record<DirectorySort, readonly SortKey[]>> = {
  relevance: [desc("accredited"), desc("relevance"), asc("id")],
  tier: [desc("tierRank"), desc("rating"), asc("id")],
  rating: [desc("rating"), desc("reviewCount"), asc("id")],
  name: [asc("nameKey"), asc("id")],
  // Partners at the same distance (the same city's coordinates) keep the relevance order.
  distance: [asc("distance"), desc("accredited"), desc("relevance"), asc("id")],
};

/** Sorts that need a `near` point. */
export const SORTS_NEEDING_NEAR: ReadonlySet<DirectorySort> = new Set(["distance"]);

/** Text fields of the search document; their weights are policy (`directory.text.fields`). */
export const TEXT_FIELDS = ["name", "city", "services", "description"] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface DirectoryQuery {
  q?: string;
  filters: Partial<Record<FilterField, readonly string[]>>;
  page: number;
  pageSize: number;
  sort: DirectorySort;
  near?: { lat: number; lon: number };
  /** Only with `near`; the policy's default radius when absent. */
  radiusKm?: number;
  budgetUsd?: number;
}

export interface DirectoryPlan {
  /** AND across entries, OR within one entry's values. */
  filters: { field: FilterField; values: string[] }[];
  /**
   * Only partners with a location within `radiusKm` (nearestKm). Like text, it narrows every
   * facet count; it orders nothing unless the sort is `distance` (relevance keeps accredited
   * first, then relevance: how near a partner is does not say how good it is).
   */
  near?: { lat: number; lon: number; radiusKm: number };
  /** Only partners whose minimum project budget (none: no minimum) is at most this. */
  maxBudgetUsd?: number;
  /**
   * The query's words (ranking/text-match.ts says when a partner matches them); absent for a
   * filter-only search. `dropped`: words a relaxed search left out (none matched together).
   */
  text?: { raw: string; words: QueryWord[]; dropped?: string[] };
  /** Backends order hits by SORT_ORDERS[sort]. */
  sort: DirectorySort;
  from: number;
  size: number;
  facets: readonly FilterField[];
  weights: DirectoryPolicy["weights"];
}

/**
 * What a plan's total and facet counts depend on, as a key: everything but the order, the page
 * and the weights (which order partners, never choose them).
 */
export function countingKey(plan: DirectoryPlan): string {
  return JSON.stringify([
    plan.text?.words ?? null,
    plan.filters,
    plan.near ?? null,
    plan.maxBudgetUsd ?? null,
    plan.facets,
  ]);
}

/** The deepest page any page size may ask for: every accepted page lies inside the window. */
export function maxPage(dp: DirectoryPolicy): number {
  return Math.floor(dp.maxResultWindow / dp.maxPageSize);
}

export function buildDirectoryPlan(query: DirectoryQuery, policy: MarketPolicy): DirectoryPlan {
  const filters = FILTER_FIELDS.flatMap((field) => {
    const values = query.filters[field];
    return values && values.length > 0 ? [{ field, values: [...new Set(values)] }] : [];
  });
  const words = query.q ? queryWords(query.q) : [];
  if (SORTS_NEEDING_NEAR.has(query.sort) && !query.near) {
    throw new Error(`sort=${query.sort} needs a near point`);
  }
  const dp = policy.data.directory;
  return {
    filters,
    ...(query.near
      ? {
          near: {
            lat: query.near.lat,
            lon: query.near.lon,
            radiusKm: query.radiusKm ?? dp.near.defaultRadiusKm,
          },
        }
      : {}),
    ...(query.budgetUsd !== undefined ? { maxBudgetUsd: query.budgetUsd } : {}),
    ...(words.length > 0 ? { text: { raw: query.q as string, words } } : {}),
    sort: query.sort,
    from: (query.page - 1) * query.pageSize,
    size: query.pageSize,
    facets: FILTER_FIELDS,
    weights: dp.weights,
  };
}

/** Whether a profile passes the plan's budget filter: no minimum, or one within the budget. */
export function withinBudget(minProjectBudgetUsd: number | undefined, maxBudgetUsd: number) {
  return minProjectBudgetUsd === undefined || minProjectBudgetUsd <= maxBudgetUsd;
}

/**
 * What a result says about its place in the search: `distanceKm` (one decimal) with a `near`
 * point, and with a country filter `locatedIn`, whether it has a location in a selected country
 * (false: it only serves one). Computed from the profile alone, so every backend agrees.
 */
export function placeOf(
  p: Pick<Profile, "locations">,
  plan: Pick<DirectoryPlan, "near" | "filters">,
): { distanceKm?: number; locatedIn?: boolean } {
  const out: { distanceKm?: number; locatedIn?: boolean } = {};
  if (plan.near) {
    const km = nearestKm(p.locations, plan.near.lat, plan.near.lon);
    if (km !== undefined) out.distanceKm = roundKm(km);
  }
  const countries = plan.filters.find((f) => f.field === "country")?.values;
  if (countries) out.locatedIn = p.locations.some((l) => countries.includes(l.country));
  return out;
}

/** The plan searching only the kept words (indexes into its words), naming the dropped ones. */
export function keepWords(plan: DirectoryPlan, kept: readonly number[]): DirectoryPlan {
  if (!plan.text) return plan;
  const keep = new Set(kept);
  const { words } = plan.text;
  return {
    ...plan,
    text: {
      raw: plan.text.raw,
      words: words.filter((_, i) => keep.has(i)),
      dropped: words.filter((_, i) => !keep.has(i)).map((w) => w.text),
    },
  };
}

/** What a backend indexes for the directory, derived from a profile by pure code. */
export interface DirectoryDoc {
  id: string;
  listed: boolean;
  /** Facet values per filter field; `country` is where the partner is located or serves. */
  facets: Record<FilterField, string[]>;
  accredited: boolean;
  tierRank: number;
  /** Reviews average shrunk toward a prior, so few reviews count for less. */
  rating: number;
  reviewCount: number;
  /** tier + reviews + certifications, weighted, in [0, sum of those weights]. */
  staticBoost: number;
  /** Folded name for the `name` sort. */
  nameKey: string;
  /** Analysed tokens per text field. */
  text: Record<TextField, string[]>;
}

/** The `name` sort's key: the name folded (case, accents), so "Élan" sorts with "elan". */
export function nameKeyOf(p: Pick<Profile, "name">): string {
  return fold(p.name);
}

export function toDirectoryDoc(p: Profile, catalog: Catalog, policy: MarketPolicy): DirectoryDoc {
  const dp = policy.data.directory;
  const accredited = p.accreditations.length > 0;
  const tierRank = catalog.tierRank[p.tier] ?? 0;
  const rating = bayesianRating(p.reviews.count, p.reviews.average, dp.reviewsPrior);
  const w = dp.weights;
  const staticBoost = roundBoost(
    w.tier * (catalog.maxTierRank > 0 ? tierRank / catalog.maxTierRank : 0) +
      w.reviews * (rating / 5) +
      w.certifications *
        Math.min(1, Math.log1p(p.certificationsCount) / Math.log1p(dp.certificationsSaturation)),
  );
  return {
    id: p.id,
    listed: p.directoryListed,
    facets: {
      country: countriesServed(p),
      language: p.languages,
      industry: p.industries,
      service: p.services,
      product: p.products,
      customerSize: p.customerSizes,
      tier: [p.tier],
      accredited: [String(accredited)],
    },
    accredited,
    tierRank,
    rating,
    reviewCount: p.reviews.count,
    staticBoost,
    nameKey: nameKeyOf(p),
    text: {
      name: tokenize(p.name),
      city: p.locations.flatMap((l) => cityNames(l.city).flatMap(tokenize)),
      // What the partner offers, in words a searcher types: services, accreditations (so an
      // accreditation that fits the query counts twice), industries and products.
      services: [
        ...p.services.map((c) => catalog.label("service", c)),
        ...p.accreditations.map((a) => catalog.label("accreditation", a.code)),
        ...p.industries.map((c) => catalog.label("industry", c)),
        ...p.products.map((c) => catalog.label("product", c)),
      ].flatMap(tokenize),
      description: tokenize(p.description),
    },
  };
}

export function bayesianRating(
  count: number,
  average: number,
  prior: { count: number; average: number },
): number {
  const total = count + prior.count;
  return total === 0 ? 0 : roundBoost((count * average + prior.count * prior.average) / total);
}

/**
 * Boosts are kept to 1e-4 steps so that a float32 engine (Elasticsearch scores) and float64
 * code order equal boosts as equal and break the tie by id the same way.
 */
function roundBoost(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * A hit's relevance score: text relevance times its weight plus the static boost (the static
 * boost alone without text). The `relevance` key of SORT_ORDERS, after `accredited`.
 */
export function relevanceScore(
  textScore: number,
  doc: Pick<DirectoryDoc, "staticBoost">,
  w: DirectoryPolicy["weights"],
): number {
  return w.text * textScore + doc.staticBoost;
}
