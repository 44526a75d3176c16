// The directory plan as Elasticsearch requests, and their answers back as backend results (the
// finder's candidate scan is in candidate-queries.ts): pure functions, typed with the client's
// request types and tested with inline snapshots. They use only what the bare test distribution carries (no scripts, no
// analysis-common, no rank_feature), so the same requests run there and on a full cluster.
import type { estypes } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.js";
import type { DirectoryPolicy } from "../../catalog/schema.js";
import type { ProfileWithoutInternal } from "../../partner/schema.js";
import {
  type DirectoryPlan,
  FILTER_FIELD_KIND,
  type FilterField,
  SORT_ORDERS,
  type SortField,
  type SortKey,
  TEXT_FIELDS,
} from "../../ranking/directory.js";
import { nearestKm } from "../../ranking/geo.js";
import type { QueryToken, QueryWord } from "../../ranking/tokenize.js";
import type { DirectoryHit, DirectoryResult } from "../backend.js";
import { profileOf } from "./documents.js";

export type Query = estypes.QueryDslQueryContainer;
type Sort = estypes.SortCombinations[];

export const facetField = (f: FilterField) => `search.facets.${f}`;
const LISTED: Query = { term: { "search.listed": true } };

/**
 * A terms aggregation returns only its `size` largest buckets; sizing it from the catalog makes
 * facet counts complete ("all values with a count") without an arbitrary constant.
 */
export function facetSizes(catalog: Catalog): Record<FilterField, number> {
  return Object.fromEntries(
    Object.entries(FILTER_FIELD_KIND).map(([f, kind]) => [
      f,
      kind ? catalog.lists[kind].length : 2,
    ]),
  ) as Record<FilterField, number>;
}

/** Where each sort key of the ranking's orders (SORT_ORDERS) is indexed. */
export const SORT_FIELDS: Record<Exclude<SortField, "relevance" | "distance">, string> = {
  accredited: "search.accredited",
  tierRank: "search.tierRank",
  rating: "search.rating",
  reviewCount: "search.reviewCount",
  nameKey: "search.nameKey",
  id: "id",
};

const GEO_FIELD = "search.geo";

/**
 * The plan's order as sort clauses. Relevance is the score with text; without text it is the
 * indexed static boost, sorted on directly (rather than on float32 scores) so filter-only
 * results order exactly like the embedded backend. Distance is the great-circle (arc) distance
 * to a partner's nearest point, like nearestKm.
 */
export function sortClauses(
  order: readonly SortKey[],
  text: boolean,
  near?: DirectoryPlan["near"],
): Sort {
  return order.map(({ field, order: dir }): estypes.SortCombinations => {
    if (field === "distance") {
      if (!near) throw new Error("a distance order needs the plan's near point");
      return {
        _geo_distance: {
          [GEO_FIELD]: { lat: near.lat, lon: near.lon },
          order: dir,
          unit: "km",
          mode: "min",
          distance_type: "arc",
        } as estypes.GeoDistanceSort,
      };
    }
    if (field !== "relevance") return { [SORT_FIELDS[field]]: dir };
    return text ? { _score: { order: dir } } : { "search.staticBoost": dir };
  });
}

/**
 * The plan's filters that narrow the facets too (like text): the circle around `near` and the
 * budget (a partner without a minimum passes).
 */
export function narrowingFilters(plan: DirectoryPlan): Query[] {
  const out: Query[] = [];
  if (plan.near) {
    out.push({
      geo_distance: {
        distance: `${plan.near.radiusKm}km`,
        distance_type: "arc",
        [GEO_FIELD]: { lat: plan.near.lat, lon: plan.near.lon },
      },
    });
  }
  if (plan.maxBudgetUsd !== undefined) {
    out.push({
      bool: {
        should: [
          { range: { minProjectBudgetUsd: { lte: plan.maxBudgetUsd } } },
          { bool: { must_not: [{ exists: { field: "minProjectBudgetUsd" } }] } },
        ],
        minimum_should_match: 1,
      },
    });
  }
  return out;
}

/**
 * The ranking's text rule (ranking/text-match.ts) as one bool: every word `must` match; a word
 * matches through any of its token lists (`should`), a list when all its tokens do; a token when
 * any field holds it exactly, as a prefix (last word) or within one edit (long words). Scores
 * are the sum over the clauses a doc satisfies, like the embedded index: the exact term's
 * field weight x BM25, plus a constant share of the field weight for each loose clause
 * (constant-score rewrites, so a prefix reaching many terms still counts once per field). The
 * terms are already analysed by our tokenizer, so term-level queries are exact.
 *
 * Elasticsearch 8's `BM25` is Lucene's LegacyBM25Similarity, which keeps pre-Lucene-8 scores by
 * multiplying every term score by (k1 + 1); the shared ranking (and the embedded index) use
 * Lucene's current formula without it. Dividing the boosts puts text and static boost on the
 * same scale as everywhere else. The parity suite fails if a server version changes this.
 */
export function textQuery(
  words: readonly QueryWord[],
  textWeight: number,
  text: DirectoryPolicy["text"],
): Query {
  return { bool: { must: words.map((w) => wordClause(w, text)), boost: textWeight } };
}

function wordClause(word: QueryWord, text: DirectoryPolicy["text"]): Query {
  const alternatives = word.alternatives.map((alt): Query => {
    const tokens = alt.map((t) => tokenClause(t, text));
    return tokens.length === 1 ? (tokens[0] as Query) : { bool: { must: tokens } };
  });
  return alternatives.length === 1
    ? (alternatives[0] as Query)
    : { bool: { should: alternatives, minimum_should_match: 1 } };
}

function tokenClause(token: QueryToken, text: DirectoryPolicy["text"]): Query {
  const should: Query[] = [];
  const legacyFactor = text.bm25.k1 + 1;
  for (const field of TEXT_FIELDS) {
    const path = `search.text.${field}`;
    const weight = text.fields[field];
    should.push({ term: { [path]: { value: token.term, boost: weight / legacyFactor } } });
    if (token.prefix) {
      should.push({
        prefix: {
          [path]: {
            value: token.term,
            boost: weight * text.looseMatch.prefix,
            rewrite: "constant_score",
          },
        },
      });
    }
    if (token.fuzzy) {
      should.push({
        fuzzy: {
          [path]: {
            value: token.term,
            fuzziness: 1,
            prefix_length: 0,
            transpositions: true,
            boost: weight * text.looseMatch.oneEdit,
            rewrite: "constant_score",
          },
        },
      });
    }
  }
  return { bool: { should, minimum_should_match: 1 } };
}

/**
 * Counts, for each subset of the plan's words (kept word indexes), the listed partners passing
 * every filter that match all of them: one `filters` bucket per subset, named by its position.
 */
export function relaxCountSearch(
  plan: DirectoryPlan,
  index: string,
  level: readonly number[][],
  directory: DirectoryPolicy,
): estypes.SearchRequest {
  const words = plan.text?.words ?? [];
  const filters: Record<string, Query> = {};
  level.forEach((kept, i) => {
    filters[String(i)] = {
      bool: { filter: kept.map((k) => wordClause(words[k] as QueryWord, directory.text)) },
    };
  });
  return {
    index,
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [LISTED, ...narrowingFilters(plan), ...plan.filters.map(filterClause)] },
    },
    aggs: { [RELAX_AGG]: { filters: { filters } } },
  };
}

export const RELAX_AGG = "relax";

/** The bucket counts of relaxCountSearch, in the level's order. */
export function relaxCounts(
  level: readonly number[][],
  aggs: Record<string, unknown> | undefined,
): number[] {
  const buckets = (aggs?.[RELAX_AGG] as { buckets?: Record<string, { doc_count: number }> })
    ?.buckets;
  return level.map((_, i) => buckets?.[String(i)]?.doc_count ?? 0);
}

function filterClause(f: { field: FilterField; values: readonly string[] }): Query {
  return { terms: { [facetField(f.field)]: [...f.values] } };
}

/**
 * The directory as the searches of one `_msearch`, which the cluster runs side by side:
 * - `count`: size 0, the total and the facets of the fields without a filter of their own;
 * - `own`: size 0, one per faceted field with a filter, counted over every other filter
 *   (disjunctive facets);
 * - `hits`: the page, absent when it lies beyond the result window.
 * The counting searches match without scoring and, being size 0, are kept by the shard request
 * cache: the next page, another sort or page size of the same query reuse them, and only the
 * page is searched again. A single search carrying hits and aggregations is never cached, and
 * counted every facet each time (~26 ms of the ~33 ms of a 10k-partner `country=US` search on
 * this machine). Without a total to count, the page search may also skip documents that
 * cannot reach it.
 */
export interface DirectorySearches {
  count: estypes.SearchRequest;
  own: { field: FilterField; request: estypes.SearchRequest }[];
  hits?: estypes.SearchRequest;
}

/** The searches in the order their answers come back in (directoryResult reads them so). */
export function searchesOf(s: DirectorySearches): estypes.SearchRequest[] {
  return [s.count, ...s.own.map((o) => o.request), ...(s.hits ? [s.hits] : [])];
}

export function directorySearches(
  plan: DirectoryPlan,
  index: string,
  sizes: Record<FilterField, number>,
  directory: DirectoryPolicy,
): DirectorySearches {
  const filters = plan.filters.map(filterClause);
  const narrowing = [LISTED, ...narrowingFilters(plan)];
  // The same partners the page is drawn from, in filter context: nothing to score.
  const matching = [
    ...(plan.text ? [textQuery(plan.text.words, plan.weights.text, directory.text)] : []),
    ...narrowing,
  ];
  const filtered = new Set(plan.filters.map((f) => f.field));
  const terms = (field: FilterField): estypes.AggregationsAggregationContainer => ({
    terms: { field: facetField(field), size: sizes[field], min_doc_count: 1 },
  });
  const shared = plan.facets.filter((f) => !filtered.has(f));
  const count: estypes.SearchRequest = {
    index,
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [...matching, ...filters] } },
    ...(shared.length > 0 ? { aggs: Object.fromEntries(shared.map((f) => [f, terms(f)])) } : {}),
  };
  const own = plan.facets
    .filter((f) => filtered.has(f))
    .map((field) => ({
      field,
      request: {
        index,
        size: 0,
        track_total_hits: false,
        query: {
          bool: {
            filter: [
              ...matching,
              ...plan.filters.filter((f) => f.field !== field).map(filterClause),
            ],
          },
        },
        aggs: { [field]: terms(field) },
      } satisfies estypes.SearchRequest,
    }));
  const fetch = fetchedWindow(plan);
  const end = Math.min(directory.maxResultWindow, fetch.from + fetch.size);
  if (plan.from + plan.size > directory.maxResultWindow || end <= fetch.from) {
    return { count, own };
  }

  const baseFilter = [...narrowing, ...filters];
  let query: Query;
  if (plan.text) {
    // Score = weights.text x text + staticBoost, with no script: field_value_factor adds the
    // indexed boost to the (boosted) text score.
    query = {
      function_score: {
        query: {
          bool: {
            must: [textQuery(plan.text.words, plan.weights.text, directory.text)],
            filter: baseFilter,
          },
        },
        functions: [{ field_value_factor: { field: "search.staticBoost", factor: 1, missing: 0 } }],
        score_mode: "sum",
        boost_mode: "sum",
      },
    };
  } else {
    query = { bool: { filter: baseFilter } };
  }
  const order = SORT_ORDERS[plan.sort];
  const hits: estypes.SearchRequest = {
    index,
    query,
    sort: sortClauses(order, plan.text !== undefined, plan.near),
    from: fetch.from,
    size: end - fetch.from,
    // `count` counts the total.
    track_total_hits: false,
    // Nothing public is drawn from `internal` (DirectoryHit): a third of a stored profile that
    // the node would otherwise send and the service parse for every hit.
    _source: { excludes: ["internal"] },
    // The static boost is the score of a filter-only hit; read from doc values, since the
    // derived fields are not kept in _source.
    ...(plan.text ? {} : { docvalue_fields: ["search.staticBoost"] }),
  };
  // Hits carry their relevance score even when the order does not use it.
  if (plan.text && !order.some((k) => k.field === "relevance")) hits.track_scores = true;
  return { count, own, hits };
}

/**
 * Hits fetched around the page when the order starts with distance. Elasticsearch measures
 * from points stored to ~1 cm, so two partners a few millimetres apart in distance may come
 * back swapped; the page is cut from a wider window re-sorted by the shared distance
 * (nearestKm over the returned locations), which orders exactly like the embedded engine.
 */
export const DISTANCE_SLACK = 20;

const byDistance = (plan: DirectoryPlan) =>
  SORT_ORDERS[plan.sort].some((k) => k.field === "distance");

function fetchedWindow(plan: DirectoryPlan): { from: number; size: number } {
  if (!byDistance(plan)) {
    return { from: plan.from, size: plan.size };
  }
  const from = Math.max(0, plan.from - DISTANCE_SLACK);
  return { from, size: plan.from - from + plan.size + DISTANCE_SLACK };
}

/** The fetched hits of a distance order in the order SORT_ORDERS states, cut to the page. */
function pageByDistance(plan: DirectoryPlan, hits: DirectoryHit[]): DirectoryHit[] {
  const near = plan.near;
  if (!near) throw new Error("a distance order needs the plan's near point");
  const km = new Map(
    hits.map((h) => [
      h,
      nearestKm(h.profile.locations, near.lat, near.lon) ?? Number.POSITIVE_INFINITY,
    ]),
  );
  const value = (field: SortField, h: DirectoryHit): number | string => {
    switch (field) {
      case "distance":
        return km.get(h) as number;
      case "accredited":
        return h.profile.accreditations.length > 0 ? 1 : 0;
      case "relevance":
        return h.score;
      case "id":
        return h.profile.id;
      default:
        throw new Error(`a distance order does not re-sort by ${field}`);
    }
  };
  const keys = SORT_ORDERS[plan.sort];
  const sorted = [...hits].sort((a, b) => {
    for (const { field, order } of keys) {
      const x = value(field, a);
      const y = value(field, b);
      if (x !== y) return (x < y ? -1 : 1) * (order === "asc" ? 1 : -1);
    }
    return 0;
  });
  const skip = plan.from - fetchedWindow(plan).from;
  return sorted.slice(skip, skip + plan.size);
}

/** An answer's total as a number, whether counted exactly or up to a bound. */
export function totalOf(a: estypes.SearchResponse<unknown>): number {
  const total = a.hits.total;
  return typeof total === "number" ? total : (total?.value ?? 0);
}

type TermsBuckets = { buckets: { key: string | number; doc_count: number }[] };
type Answer = estypes.SearchResponse<ProfileWithoutInternal>;

/** The answers to searchesOf(searches), in that order, as the backend's result. */
export function directoryResult(
  plan: DirectoryPlan,
  searches: DirectorySearches,
  answers: readonly Answer[],
): DirectoryResult {
  const [count, ...rest] = answers;
  const ownAnswers = rest.slice(0, searches.own.length);
  const page = searches.hits ? rest[searches.own.length] : undefined;
  const bucketsOf = (a: Answer | undefined, field: FilterField) =>
    (a?.aggregations?.[field] as TermsBuckets | undefined)?.buckets ?? [];
  const facets: DirectoryResult["facets"] = {};
  for (const field of plan.facets) {
    const i = searches.own.findIndex((o) => o.field === field);
    const buckets = bucketsOf(i >= 0 ? ownAnswers[i] : count, field);
    facets[field] = Object.fromEntries(buckets.map((b) => [String(b.key), b.doc_count]));
  }
  const hits = (page?.hits.hits ?? []).flatMap((h) => {
    if (!h._source) return [];
    const boost = (h.fields?.["search.staticBoost"] as number[] | undefined)?.[0];
    const score = plan.text ? (h._score ?? 0) : (boost ?? 0);
    return [{ profile: profileOf(h._source), score }];
  });
  return {
    total: count ? totalOf(count) : 0,
    hits: byDistance(plan) ? pageByDistance(plan, hits) : hits,
    facets,
  };
}
