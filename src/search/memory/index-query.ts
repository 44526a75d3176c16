// Evaluates the ranking's plans over one BuiltIndex. `alive` masks out a base's docs that a
// newer version (in the delta) or a delete has replaced; absent, every doc counts.
import type { FloatColumn } from "../../lib/narrow.js";
import { TopK } from "../../lib/top-k.js";
import type { Profile } from "../../partner/schema.js";
import { countsLanguages, excludedByPrefilters } from "../../ranking/candidates.js";
import {
  type DirectoryPlan,
  type FilterField,
  relevanceScore,
  SORT_ORDERS,
  type SortField,
  withinBudget,
} from "../../ranking/directory.js";
import type { CandidateQuery, CandidateSet, DirectoryResult } from "../backend.js";
import {
  andInto,
  type Bitset,
  clearBit,
  count,
  forEachBit,
  hasBit,
  newBitset,
  orInPlace,
  setBit,
} from "./bitset.js";
import type { BuiltIndex, StaticSort } from "./built-index.js";
import type { FacetCache } from "./facet-cache.js";
import { countFacets, type FacetWhole, orOf, orOfMap } from "./facet-index.js";
import { pointsWithin } from "./geo-index.js";
import type { WordMatch } from "./text-index.js";
import { GROUP_SPAN, pageByRelevance, pageInOrder, pageOfTop } from "./text-top-k.js";

/** A hit inside one index: its doc number, relevance score and, with `near`, its distance. */
export interface DocHit {
  doc: number;
  score: number;
  distance?: number;
}

export interface IndexDirectoryResult {
  total: number;
  hits: DocHit[];
  facets: DirectoryResult["facets"];
}

/**
 * `exhaustive`: score every text match (the reference the pruned ranking of text-top-k.ts must
 * agree with, and what the distance sort always does) and count facets directly, not as the
 * listed docs' counts minus the unmatched docs'.
 */
export interface DirectoryOptions {
  exhaustive?: boolean;
  /** Where this index's facet counts for the plan are kept (facet-cache.ts), and under what. */
  kept?: { cache: FacetCache; generation: number; key: string };
}

interface TextMatches {
  docs: number[];
  scores: number[];
}

/**
 * The docs each of the plan's words matches in this index. Starts a query: the sets are valid
 * until the next query on the index starts (BitsetPool).
 */
export function wordMatchesIn(ix: BuiltIndex, plan: DirectoryPlan): WordMatch[] {
  ix.scratchBits.reset();
  return matchWords(ix, plan);
}

function matchWords(ix: BuiltIndex, plan: DirectoryPlan): WordMatch[] {
  return plan.text ? ix.text.matchWords(plan.text.words, ix.scratchBits) : [];
}

/**
 * For each subset of words (kept word indexes), how many listed docs passing every filter match
 * all of them: what a relaxed search chooses its dropped words by.
 */
export function relaxCountsIn(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  words: readonly WordMatch[],
  level: readonly number[][],
  alive?: Bitset,
): number[] {
  const pool = ix.scratchBits;
  const base = pool.copy(ix.listed);
  if (alive) andInto(base, base, alive);
  narrowInto(ix, plan, base);
  for (const f of plan.filters) {
    andInto(base, base, orOf(ix.facets[f.field], f.values, ix.n, pool.take()));
  }
  const scratch = pool.take();
  return level.map((kept) => {
    scratch.set(base);
    for (const k of kept) andInto(scratch, scratch, (words[k] as WordMatch).bits);
    return count(scratch);
  });
}

/**
 * The profiles passing the query's pre-filters, in id order, the market's size, and how many
 * of the market each pre-filter drops (popcounts of the same masks, candidates.ts order).
 */
export function candidatesIn(ix: BuiltIndex, query: CandidateQuery, alive?: Bitset): CandidateSet {
  const countryBits = ix.facets.country.byValue.get(query.country);
  if (!countryBits) {
    return { profiles: [], marketSize: 0, excludedBy: excludedByPrefilters(query, { market: 0 }) };
  }
  const mask = andInto(newBitset(ix.n), countryBits, orOfMap(ix.levels, query.programLevels, ix.n));
  if (alive) andInto(mask, mask, alive);
  if (query.languages && query.languages.length > 0) {
    const langs = orOf(ix.facets.language, query.languages, ix.n);
    andInto(mask, mask, langs);
  }
  const marketSize = count(mask);
  // The counts chain includes the counted-only language condition; `mask` does not.
  const counted = countsLanguages(query)
    ? andInto(newBitset(ix.n), mask, orOf(ix.facets.language, query.countLanguages ?? [], ix.n))
    : undefined;
  const n: Parameters<typeof excludedByPrefilters>[1] = { market: marketSize };
  if (counted) n.language = count(counted);
  if (query.withCapacity) {
    andInto(mask, mask, ix.accepting);
    if (counted) andInto(counted, counted, ix.accepting);
    n.accepting = count(counted ?? mask);
    andInto(mask, mask, ix.withCapacity);
    if (counted) andInto(counted, counted, ix.withCapacity);
    n.capacity = count(counted ?? mask);
  }
  const e = query.eligibleIf;
  if (e) {
    const eligible = newBitset(ix.n);
    for (const code of e.accreditationsAny) {
      const held = ix.accreditations.get(code);
      if (held) orInPlace(eligible, held);
    }
    const q = e.qualified;
    if (q) {
      const tiers = q.tiersAny ? orOf(ix.facets.tier, q.tiersAny, ix.n) : mask;
      const retention = ix.retention;
      forEachBit(andInto(newBitset(ix.n), mask, tiers), (d) => {
        if ((retention[d] as number) >= q.minRetention) setBit(eligible, d);
      });
    }
    andInto(mask, mask, eligible);
    if (counted) andInto(counted, counted, eligible);
    n.eligible = count(counted ?? mask);
  }
  const out: Profile[] = [];
  forEachBit(mask, (d) => out.push(ix.profileAt(d)));
  return { profiles: out, marketSize, excludedBy: excludedByPrefilters(query, n) };
}

/** Docs by their minimum budget, ascending, and those minimums in that order. */
interface BudgetOrder {
  docs: Int32Array;
  minimums: Float64Array;
}

const budgetOrders = new WeakMap<FloatColumn, BudgetOrder>();

/** Built on an index's first budget search, so indexes never searched by budget pay nothing. */
function budgetOrderOf(minBudget: FloatColumn): BudgetOrder {
  let o = budgetOrders.get(minBudget);
  if (!o) {
    const docs = Int32Array.from(minBudget.keys());
    docs.sort((a, b) => (minBudget[a] as number) - (minBudget[b] as number) || a - b);
    o = { docs, minimums: Float64Array.from(docs, (d) => minBudget[d] as number) };
    budgetOrders.set(minBudget, o);
  }
  return o;
}

/**
 * Like text, `near` and the budget narrow the base every facet is counted over (and the base a
 * relaxed search counts its word subsets in).
 */
function narrowInto(ix: BuiltIndex, plan: DirectoryPlan, base: Bitset): void {
  if (plan.near) andInto(base, base, within(ix, plan.near));
  const maxBudget = plan.maxBudgetUsd;
  if (maxBudget !== undefined) {
    // withinBudget only gets harder to pass as the minimum grows, so the docs that fail it are
    // a suffix of the order: found by bisection, instead of the rule asked of every match
    // (~4% of the server CPU of a distinct directory search at 10k, in a profile).
    const { docs, minimums } = budgetOrderOf(ix.minBudget);
    let lo = 0;
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (withinBudget(minimums[mid], maxBudget)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < docs.length; i++) clearBit(base, docs[i] as number);
  }
}

export function directoryIn(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  alive?: Bitset,
  options: DirectoryOptions = {},
): IndexDirectoryResult {
  const pool = ix.scratchBits;
  pool.reset();
  const entryMasks = plan.filters.map((f) => ({
    field: f.field,
    mask: orOf(ix.facets[f.field], f.values, ix.n, pool.take()),
  }));
  const base = pool.copy(ix.listed);
  if (alive) andInto(base, base, alive);
  const words = matchWords(ix, plan);
  // Every word must match (ranking/text-match.ts).
  for (const w of words) andInto(base, base, w.bits);
  narrowInto(ix, plan, base);
  const matched = pool.copy(base);
  for (const e of entryMasks) andInto(matched, matched, e.mask);
  const total = count(matched);
  let textMatches: TextMatches | undefined;
  let hits: DocHit[] | undefined;
  if (plan.text && !options.exhaustive && plan.sort !== "distance") {
    const clauses = ix.text.clauses(words);
    const groups = ix.groupSets[plan.sort];
    hits = groups
      ? pageByRelevance(ix, plan, matched, clauses, groups)
      : pageInOrder(ix, plan, matched, clauses);
  } else if (plan.text) {
    const found: TextMatches = { docs: [], scores: [] };
    ix.text.scoreWords(words, matched, (d, s) => {
      found.docs.push(d);
      found.scores.push(s);
    });
    textMatches = found;
  }

  hits ??=
    plan.sort === "distance"
      ? rankByKeys(ix, plan, matched, textMatches)
      : textMatches
        ? rankText(ix, plan, matched, textMatches)
        : // No text: an empty clause list scores 0, the static boost alone orders the page.
          pageInOrder(ix, plan, matched, []);
  if (plan.near) for (const h of hits) h.distance = ix.scratchKm[h.doc] as number;

  const kept = options.kept;
  const known = kept?.cache.get(kept.generation, kept.key);
  if (known) return { total, hits, facets: known };
  const counted = new Map<FilterField, Record<string, number>>();
  const whole = (fields: readonly FilterField[]): FacetWhole | undefined =>
    options.exhaustive
      ? undefined
      : {
          bits: ix.listed,
          size: ix.listedCount,
          counts: fields.map((f) => ix.listedFacetCounts[f]),
          scratch: pool.take(),
        };
  // The fields no filter narrows are all counted over the matches, in one pass; a filtered
  // field's own selection is left out of its base (multi-select).
  const unfiltered = plan.facets.filter((f) => !entryMasks.some((e) => e.field === f));
  if (unfiltered.length > 0) {
    const together = countFacets(
      unfiltered.map((f) => ix.facets[f]),
      matched,
      total,
      whole(unfiltered),
    );
    unfiltered.forEach((f, i) => {
      counted.set(f, together[i] as Record<string, number>);
    });
  }
  const facets: DirectoryResult["facets"] = {};
  for (const field of plan.facets) {
    let c = counted.get(field);
    if (!c) {
      const facetBase = pool.copy(base);
      for (const e of entryMasks) if (e.field !== field) andInto(facetBase, facetBase, e.mask);
      c = countFacets([ix.facets[field]], facetBase, -1, whole([field]))[0] as Record<
        string,
        number
      >;
    }
    facets[field] = c;
  }
  return { total, hits, facets: kept ? kept.cache.set(kept.generation, kept.key, facets) : facets };
}

/**
 * The docs with a location inside the circle, from the grid cells its box overlaps; each one's
 * distance to its nearest point is left in `scratchKm`.
 */
function within(ix: BuiltIndex, near: NonNullable<DirectoryPlan["near"]>): Bitset {
  const inside = ix.scratchBits.take();
  const km = ix.scratchKm;
  pointsWithin(ix.geo, near.lat, near.lon, near.radiusKm, (d, k) => {
    if (!hasBit(inside, d)) {
      setBit(inside, d);
      km[d] = k;
    } else if (k < (km[d] as number)) {
      km[d] = k;
    }
  });
  return inside;
}

/**
 * Ranks by the sort's keys evaluated per matched doc: for an order no build can precompute
 * (distance from the query's point). Every matched doc is inside the circle, so this sorts a
 * region's partners, not the index.
 */
function rankByKeys(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  matched: Bitset,
  text: TextMatches | undefined,
): DocHit[] {
  const docs: number[] = [];
  const textScore = ix.scratchScores;
  if (text) {
    for (let i = 0; i < text.docs.length; i++) {
      const d = text.docs[i] as number;
      if (!hasBit(matched, d)) continue;
      docs.push(d);
      textScore[d] = text.scores[i] as number;
    }
  } else {
    forEachBit(matched, (d) => docs.push(d));
  }
  const relevance = new Float64Array(ix.n);
  for (const d of docs) {
    relevance[d] = relevanceScore(
      text ? (textScore[d] as number) : 0,
      { staticBoost: ix.staticBoost[d] as number },
      plan.weights,
    );
  }
  const value = (field: SortField, d: number): number | string => {
    switch (field) {
      case "distance":
        return ix.scratchKm[d] as number;
      case "relevance":
        return relevance[d] as number;
      case "id":
        return ix.idRank[d] as number;
      case "nameKey":
        return ix.nameKeyAt(d);
      default:
        return ix.columns[field][d] as number;
    }
  };
  const keys = SORT_ORDERS[plan.sort];
  docs.sort((a, b) => {
    for (const { field, order } of keys) {
      const x = value(field, a);
      const y = value(field, b);
      if (x !== y) return (x < y ? -1 : 1) * (order === "asc" ? 1 : -1);
    }
    return 0;
  });
  return docs
    .slice(plan.from, plan.from + plan.size)
    .map((d) => ({ doc: d, score: relevance[d] as number }));
}

function rankText(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  matched: Bitset,
  text: TextMatches,
): DocHit[] {
  const top = new TopK(plan.from + plan.size);
  const pos = ix.orderPos[plan.sort as StaticSort];
  const groups = ix.relevanceGroups[plan.sort as StaticSort];
  const scoreOf = ix.scratchScores;
  for (let i = 0; i < text.docs.length; i++) {
    const d = text.docs[i] as number;
    const s = text.scores[i] as number;
    if (!hasBit(matched, d)) continue;
    if (groups) {
      const key =
        relevanceScore(s, { staticBoost: ix.staticBoost[d] as number }, plan.weights) -
        (groups[d] as number) * GROUP_SPAN;
      top.push(d, key, ix.idRank[d] as number);
    } else {
      top.push(d, -(pos[d] as number), 0);
    }
    scoreOf[d] = s;
  }
  return pageOfTop(ix, plan, top, scoreOf);
}
