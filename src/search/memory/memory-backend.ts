// The embedded search engine: an in-process index over the whole partner set (bitsets per
// facet value, an inverted text index, precomputed sort orders). It serves the Node default,
// the tests and the edge when no cluster is configured, and evaluates the same plans as the
// Elasticsearch backend with the same ordering rules.
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { TopK } from "../../lib/top-k.js";
import { type FeedEntry, type Profile, versionOf } from "../../partner/schema.js";
import {
  DIRECTORY_SORTS,
  type DirectoryPlan,
  type DirectorySort,
  FILTER_FIELDS,
  type FilterField,
  relevanceScore,
  SORT_ORDERS,
  type SortField,
  type SortKey,
  toDirectoryDoc,
} from "../../ranking/directory.js";
import { hasCapacity } from "../../ranking/rules.js";
import type {
  ApplySummary,
  CandidateQuery,
  CandidateSet,
  DirectoryHit,
  DirectoryResult,
  Readiness,
  SearchBackend,
} from "../backend.js";
import {
  andInto,
  type Bitset,
  count,
  forEachBit,
  hasBit,
  newBitset,
  orInPlace,
  setBit,
} from "./bitset.js";
import { InternPool } from "./compact.js";
import {
  bitsetOf,
  countFacet,
  FacetBuilder,
  type FacetIndex,
  orOf,
  orOfMap,
} from "./facet-index.js";
import { type TextIndex, TextIndexBuilder } from "./text-index.js";

interface Held {
  version: number;
  profile?: Profile;
}

interface BuiltIndex {
  n: number;
  profiles: Profile[];
  accredited: Uint8Array;
  staticBoost: Float64Array;
  listed: Bitset;
  /** Holders per program level. */
  levels: Map<string, Bitset>;
  /** Accepting referrals with a free slot. */
  withCapacity: Bitset;
  /** Holders per accreditation code. */
  accreditations: Map<string, Bitset>;
  retention: Float64Array;
  idRank: Int32Array;
  facets: Record<FilterField, FacetIndex>;
  orders: Record<DirectorySort, Int32Array>;
  /** Position of each doc in each order, for sorting text matches by a non-relevance sort. */
  orderPos: Record<DirectorySort, Int32Array>;
  /**
   * For a sort with a relevance key: each doc's dense rank by the keys before it (for
   * `relevance`: accredited first, rank 0), so text matches are ranked group by group.
   */
  relevanceGroups: Partial<Record<DirectorySort, Int32Array>>;
  text: TextIndex;
  /** Per-doc text score of the current query; valid only for the docs it touched. */
  scratchScores: Float64Array;
}

/**
 * Heap keys of text matches: relevance minus the doc's group times this, so every doc of a
 * better group outranks every doc of a worse one (relevance scores stay below 1e6).
 */
const GROUP_SPAN = 1e9;

interface TextMatches {
  docs: number[];
  scores: number[];
}

export class MemoryBackend implements SearchBackend {
  readonly kind = "memory";
  /** Every id ever seen with its newest version, tombstones included, so deletes stay final. */
  private readonly held = new Map<string, Held>();
  private readonly pool = new InternPool();
  private index: BuiltIndex | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly policy: MarketPolicy,
  ) {}

  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    return this.applySync(entries);
  }

  /** Synchronous form, for loading a snapshot at start-up. */
  applySync(entries: readonly FeedEntry[]): ApplySummary {
    const summary: ApplySummary = { indexed: 0, updated: 0, deleted: 0, stale: 0 };
    for (const e of entries) {
      const data = e.kind === "upsert" ? e.profile : e.tombstone;
      const version = versionOf(data);
      const prev = this.held.get(data.id);
      if (prev && prev.version >= version) {
        summary.stale++;
        continue;
      }
      if (e.kind === "upsert") {
        this.held.set(data.id, { version, profile: this.pool.profile(e.profile) });
        if (prev?.profile) summary.updated++;
        else summary.indexed++;
      } else {
        this.held.set(data.id, { version });
        if (prev?.profile) summary.deleted++;
      }
    }
    if (summary.indexed + summary.updated + summary.deleted > 0) this.index = undefined;
    return summary;
  }

  get size(): number {
    return this.built().n;
  }

  async get(id: string): Promise<Profile | undefined> {
    return this.held.get(id)?.profile;
  }

  async readiness(): Promise<Readiness> {
    const n = this.built().n;
    return { ready: n > 0, backend: this.kind, details: { profiles: n } };
  }

  async candidates(query: CandidateQuery): Promise<CandidateSet> {
    return this.candidateSetSync(query);
  }

  /** The market's profiles that pass the query's pre-filters, in id order. */
  candidatesSync(query: CandidateQuery): Profile[] {
    return this.candidateSetSync(query).profiles;
  }

  candidateSetSync(query: CandidateQuery): CandidateSet {
    const ix = this.built();
    const countryBits = ix.facets.country.byValue.get(query.country);
    if (!countryBits) return { profiles: [], marketSize: 0 };
    const mask = andInto(
      newBitset(ix.n),
      countryBits,
      orOfMap(ix.levels, query.programLevels, ix.n),
    );
    if (query.languages && query.languages.length > 0) {
      const langs = orOf(ix.facets.language, query.languages, ix.n);
      andInto(mask, mask, langs);
    }
    const marketSize = count(mask);
    if (query.withCapacity) andInto(mask, mask, ix.withCapacity);
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
    }
    const out: Profile[] = [];
    forEachBit(mask, (d) => out.push(ix.profiles[d] as Profile));
    return { profiles: out, marketSize };
  }

  async directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    return this.directorySync(plan);
  }

  directorySync(plan: DirectoryPlan): DirectoryResult {
    const ix = this.built();
    const entryMasks = plan.filters.map((f) => ({
      field: f.field,
      mask: orOf(ix.facets[f.field], f.values, ix.n),
    }));
    const base = ix.listed.slice();
    let textMatches: TextMatches | undefined;
    if (plan.text) {
      const textBits = newBitset(ix.n);
      const found: TextMatches = { docs: [], scores: [] };
      ix.text.search(plan.text.terms, (d, s) => {
        setBit(textBits, d);
        found.docs.push(d);
        found.scores.push(s);
      });
      textMatches = found;
      andInto(base, base, textBits);
    }
    const matched = base.slice();
    for (const e of entryMasks) andInto(matched, matched, e.mask);

    const total = count(matched);
    const hits = textMatches
      ? this.rankText(ix, plan, matched, textMatches)
      : this.rankStatic(ix, plan, matched);

    const facets: DirectoryResult["facets"] = {};
    for (const field of plan.facets) {
      const others = entryMasks.filter((e) => e.field !== field);
      let facetBase = matched;
      if (others.length !== entryMasks.length) {
        facetBase = base.slice();
        for (const e of others) andInto(facetBase, facetBase, e.mask);
      }
      facets[field] = countFacet(ix.facets[field], facetBase, facetBase === matched ? total : -1);
    }
    return { total, hits, facets };
  }

  private rankStatic(ix: BuiltIndex, plan: DirectoryPlan, matched: Bitset): DirectoryHit[] {
    const order = ix.orders[plan.sort];
    const hits: DirectoryHit[] = [];
    let skip = plan.from;
    for (let i = 0; i < order.length && hits.length < plan.size; i++) {
      const d = order[i] as number;
      if (!hasBit(matched, d)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      hits.push({
        profile: ix.profiles[d] as Profile,
        score: relevanceScore(0, { staticBoost: ix.staticBoost[d] as number }, plan.weights),
      });
    }
    return hits;
  }

  private rankText(
    ix: BuiltIndex,
    plan: DirectoryPlan,
    matched: Bitset,
    text: TextMatches,
  ): DirectoryHit[] {
    const top = new TopK(plan.from + plan.size);
    const pos = ix.orderPos[plan.sort];
    const groups = ix.relevanceGroups[plan.sort];
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
    return top
      .sorted()
      .slice(plan.from)
      .map(({ item }) => ({
        profile: ix.profiles[item] as Profile,
        score: relevanceScore(
          scoreOf[item] as number,
          { staticBoost: ix.staticBoost[item] as number },
          plan.weights,
        ),
      }));
  }

  private built(): BuiltIndex {
    this.index ??= this.build();
    return this.index;
  }

  private build(): BuiltIndex {
    const profiles: Profile[] = [];
    for (const h of this.held.values()) if (h.profile) profiles.push(h.profile);
    profiles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const n = profiles.length;
    // Profiles are sorted by id, so a doc's number is its id rank.
    const idRank = Int32Array.from({ length: n }, (_, i) => i);
    const listed = newBitset(n);
    const levels = new Map<string, Bitset>();
    const withCapacity = newBitset(n);
    const accreditations = new Map<string, Bitset>();
    const retention = new Float64Array(n);
    const accredited = new Uint8Array(n);
    const staticBoost = new Float64Array(n);
    const tierRank = new Float64Array(n);
    const rating = new Float64Array(n);
    const reviewCount = new Float64Array(n);
    const nameKey: string[] = new Array(n);
    const facetBuilders = FILTER_FIELDS.map((f) => new FacetBuilder(f, n));
    const textBuilder = new TextIndexBuilder(n, this.policy.data.directory.text);
    // One doc at a time: its tokens and facet lists become garbage as soon as they are indexed,
    // which keeps the peak memory of a 100k load low.
    profiles.forEach((p, d) => {
      const doc = toDirectoryDoc(p, this.catalog, this.policy);
      if (doc.listed) setBit(listed, d);
      setBit(bitsetOf(levels, p.programLevel, n), d);
      if (hasCapacity(p)) setBit(withCapacity, d);
      retention[d] = p.internal.retention;
      for (const a of p.accreditations) setBit(bitsetOf(accreditations, a.code, n), d);
      accredited[d] = doc.accredited ? 1 : 0;
      staticBoost[d] = doc.staticBoost;
      tierRank[d] = doc.tierRank;
      rating[d] = doc.rating;
      reviewCount[d] = doc.reviewCount;
      nameKey[d] = doc.nameKey;
      for (const fb of facetBuilders) fb.add(d, doc.facets);
      textBuilder.add(d, doc.text);
    });
    const facets = Object.fromEntries(facetBuilders.map((fb) => [fb.field, fb.build()])) as Record<
      FilterField,
      FacetIndex
    >;

    const listedDocs: number[] = [];
    forEachBit(listed, (d) => listedDocs.push(d));
    // The ranking's sort keys (SORT_ORDERS) as comparators over these columns; without text,
    // a doc's relevance is its static boost. Docs are numbered in id order, so id is the doc.
    const columns: Record<Exclude<SortField, "nameKey">, ArrayLike<number>> = {
      accredited,
      relevance: staticBoost,
      tierRank,
      rating,
      reviewCount,
      id: idRank,
    };
    const compare = (keys: readonly SortKey[]) => (a: number, b: number) => {
      for (const { field, order } of keys) {
        let c: number;
        if (field === "nameKey") {
          const x = nameKey[a] as string;
          const y = nameKey[b] as string;
          c = x < y ? -1 : x > y ? 1 : 0;
        } else {
          c = (columns[field][a] as number) - (columns[field][b] as number);
        }
        if (c !== 0) return order === "asc" ? c : -c;
      }
      return 0;
    };
    const orders = {} as Record<DirectorySort, Int32Array>;
    const orderPos = {} as Record<DirectorySort, Int32Array>;
    const relevanceGroups: BuiltIndex["relevanceGroups"] = {};
    for (const sort of DIRECTORY_SORTS) {
      const keys = SORT_ORDERS[sort];
      const byKeys = compare(keys);
      const order = Int32Array.from([...listedDocs].sort((a, b) => byKeys(a, b) || a - b));
      const pos = new Int32Array(n).fill(n);
      order.forEach((d, i) => {
        pos[d] = i;
      });
      orders[sort] = order;
      orderPos[sort] = pos;
      const at = keys.findIndex((k) => k.field === "relevance");
      if (at >= 0) relevanceGroups[sort] = groupsBy(keys, at, order, n, compare);
    }
    return {
      n,
      profiles,
      accredited,
      staticBoost,
      listed,
      levels,
      withCapacity,
      accreditations,
      retention,
      idRank,
      facets,
      orders,
      orderPos,
      relevanceGroups,
      text: textBuilder.build(),
      scratchScores: new Float64Array(n),
    };
  }
}

/**
 * Dense rank of each doc by the sort keys before the relevance key, for ranking text matches;
 * what follows relevance must be the id (the heap's tie-break).
 */
function groupsBy(
  keys: readonly SortKey[],
  relevanceAt: number,
  order: Int32Array,
  n: number,
  compare: (keys: readonly SortKey[]) => (a: number, b: number) => number,
): Int32Array {
  const rest = keys.slice(relevanceAt + 1);
  if (rest.length !== 1 || rest[0]?.field !== "id" || rest[0].order !== "asc") {
    throw new Error("the embedded engine breaks relevance ties by ascending id only");
  }
  const prefix = compare(keys.slice(0, relevanceAt));
  const groups = new Int32Array(n);
  let group = 0;
  order.forEach((d, i) => {
    if (i > 0 && prefix(order[i - 1] as number, d) !== 0) group++;
    groups[d] = group;
  });
  return groups;
}
