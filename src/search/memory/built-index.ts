// One immutable index over a set of profiles (numbered in id order): bitsets per facet value,
// the inverted text index, sort-key columns and precomputed sort orders. The engine serves
// queries from a large base and a small delta of recent updates, both built here; the base is
// rebuilt in the background in slices, so the readers it must not block keep being served.
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { type FloatColumn, narrowFloat } from "../../lib/narrow.js";
import { type Profile, versionOf } from "../../partner/schema.js";
import {
  DIRECTORY_SORTS,
  type DirectoryDoc,
  type DirectorySort,
  FILTER_FIELDS,
  type FilterField,
  nameKeyOf,
  SORT_ORDERS,
  type SortField,
  type SortKey,
  toDirectoryDoc,
} from "../../ranking/directory.js";
import { acceptingReferrals, hasCapacity } from "../../ranking/rules.js";
import { type Bitset, BitsetPool, forEachBit, newBitset, setBit } from "./bitset.js";
import { bitsetOf, countsOver, FacetBuilder, type FacetIndex } from "./facet-index.js";
import { GeoBuilder, type GeoIndex } from "./geo-index.js";
import { cachedProfiles } from "./profile-cache.js";
import { type ProfileStore, ProfileStoreBuilder } from "./profile-store.js";
import { type TextIndex, TextIndexBuilder } from "./text-index.js";

/** The numeric sort-key columns (SORT_ORDERS fields other than relevance, name and id). */
export type NumericSortField = Exclude<SortField, "relevance" | "nameKey" | "id" | "distance">;

/** The sorts whose order is known at build time (distance depends on the query's point). */
export type StaticSort = Exclude<DirectorySort, "distance">;
const STATIC_SORTS = DIRECTORY_SORTS.filter((s): s is StaticSort => s !== "distance");

export interface BuiltIndex {
  n: number;
  /**
   * The profile of a doc. A function, not an array: a base index holds its profiles as columns
   * (`store`) and materialises one when a query returns it, the same object while it is held.
   */
  profileAt: (doc: number) => Profile;
  /** A doc's id, without materialising its profile (lookups by id binary-search these). */
  idAt: (doc: number) => string;
  /** A doc's version (versionOf its updatedAt), for stale checks, without materialising it. */
  versionAt: (doc: number) => number;
  /** The profiles as columns; absent when the index keeps the objects it was given (a delta). */
  store?: ProfileStore;
  staticBoost: Float64Array;
  columns: Record<NumericSortField, ArrayLike<number>>;
  /**
   * A doc's name sort key, derived when asked: only a page merged across a base and its delta
   * compares names after the build, and 100k keys held as strings cost ~5 MB of heap.
   */
  nameKeyAt: (doc: number) => string;
  listed: Bitset;
  /** Holders per program level. */
  levels: Map<string, Bitset>;
  /** Accepting referrals with a free slot. */
  withCapacity: Bitset;
  /** Accepting referrals (the finder's `accepting_referrals` rule), for its coverage counts. */
  accepting: Bitset;
  /** Holders per accreditation code. */
  accreditations: Map<string, Bitset>;
  retention: FloatColumn;
  idRank: Int32Array;
  facets: Record<FilterField, FacetIndex>;
  /** How many docs are listed, and per facet value how many of them hold it. */
  listedCount: number;
  listedFacetCounts: Record<FilterField, Float64Array>;
  /** Location points by grid cell, for `near`. */
  geo: GeoIndex;
  /** Minimum project budget per doc; 0 for none, which every budget (>= 0) passes alike. */
  minBudget: FloatColumn;
  orders: Record<StaticSort, Int32Array>;
  /** Position of each doc in each order, for sorting text matches by a non-relevance sort. */
  orderPos: Record<StaticSort, Int32Array>;
  /**
   * For a sort with a relevance key: each doc's dense rank by the keys before it (for
   * `relevance`: accredited first, rank 0), so text matches are ranked group by group.
   */
  relevanceGroups: Partial<Record<StaticSort, Int32Array>>;
  /** The same groups as bitsets, each with its largest static boost, for pruning. */
  groupSets: Partial<Record<StaticSort, GroupSets>>;
  text: TextIndex;
  /** Per-doc text score of the current query; valid only for the docs it touched. */
  scratchScores: Float64Array;
  /** Per-doc distance of the current `near` query; valid only for the docs inside its circle. */
  scratchKm: Float64Array;
  /** Bitsets for the current query's intermediate sets (bitset.ts). */
  scratchBits: BitsetPool;
}

export interface GroupSets {
  bits: Bitset[];
  maxBoost: Float64Array;
}

/** Profiles by position: an array, or a list that materialises each when asked (a rebuild). */
export interface ProfileList {
  readonly length: number;
  at(i: number): Profile | undefined;
}

export interface BuildInput {
  /** Sorted by id. */
  profiles: ProfileList;
  /**
   * Keep these profile objects instead of columns: a delta's are held by the engine anyway
   * (and few), so a columnar copy would only add to them.
   */
  keepObjects?: boolean;
  /** The columns of exactly `profiles`, in order, built already: kept instead of a copy. */
  store?: ProfileStore;
  catalog: Catalog;
  policy: MarketPolicy;
  /** A delta scores text with the collection statistics of the base it sits on. */
  textStatsOf?: TextIndex;
  /** The directory doc of a profile, when the caller keeps them (a delta rebuilt often). */
  docOf?: (p: Profile) => DirectoryDoc;
}

/** Docs indexed between two pauses of a background build (~10-20 ms of work). */
const SLICE = 200;

/** The build as steps: it pauses (yields) between slices of work. */
export function* buildSteps(input: BuildInput): Generator<void, BuiltIndex> {
  const { profiles, catalog, policy } = input;
  const n = profiles.length;
  // Profiles are sorted by id, so a doc's number is its id rank.
  const idRank = Int32Array.from({ length: n }, (_, i) => i);
  const listed = newBitset(n);
  const levels = new Map<string, Bitset>();
  const withCapacity = newBitset(n);
  const accepting = newBitset(n);
  const accreditations = new Map<string, Bitset>();
  const retention = new Float64Array(n);
  const accredited = new Uint8Array(n);
  const staticBoost = new Float64Array(n);
  const tierRank = new Float64Array(n);
  const rating = new Float64Array(n);
  const reviewCount = new Float64Array(n);
  const nameKey: string[] = new Array(n);
  const minBudget = new Float64Array(n);
  const geo = new GeoBuilder();
  const facetBuilders = FILTER_FIELDS.map((f) => new FacetBuilder(f, n));
  const textBuilder = new TextIndexBuilder(n, policy.data.directory.text);
  if (input.store && input.store.n !== n) throw new Error("the store holds other profiles");
  const storeBuilder = input.keepObjects || input.store ? undefined : new ProfileStoreBuilder();
  const store = input.store;
  // One doc at a time: its tokens and facet lists become garbage as soon as they are indexed,
  // which keeps the peak memory of a 100k load low.
  for (let d = 0; d < n; d++) {
    if (d > 0 && d % SLICE === 0) yield;
    const p = profiles.at(d) as Profile;
    storeBuilder?.add(p);
    const doc = input.docOf ? input.docOf(p) : toDirectoryDoc(p, catalog, policy);
    if (doc.listed) setBit(listed, d);
    setBit(bitsetOf(levels, p.programLevel, n), d);
    if (hasCapacity(p)) setBit(withCapacity, d);
    if (acceptingReferrals(p)) setBit(accepting, d);
    retention[d] = p.internal.retention;
    for (const a of p.accreditations) setBit(bitsetOf(accreditations, a.code, n), d);
    accredited[d] = doc.accredited ? 1 : 0;
    staticBoost[d] = doc.staticBoost;
    tierRank[d] = doc.tierRank;
    rating[d] = doc.rating;
    reviewCount[d] = doc.reviewCount;
    nameKey[d] = doc.nameKey;
    minBudget[d] = p.minProjectBudgetUsd ?? 0;
    geo.add(d, p.locations);
    for (const fb of facetBuilders) fb.add(d, doc.facets);
    textBuilder.add(d, doc.text);
  }
  yield;
  const facets = Object.fromEntries(facetBuilders.map((fb) => [fb.field, fb.build()])) as Record<
    FilterField,
    FacetIndex
  >;
  const text = textBuilder.build(input.textStatsOf);
  yield;

  const listedDocs: number[] = [];
  forEachBit(listed, (d) => listedDocs.push(d));
  const listedFacetCounts = Object.fromEntries(
    FILTER_FIELDS.map((f) => [f, countsOver(facets[f], listed, listedDocs.length)]),
  ) as Record<FilterField, Float64Array>;
  const columnStore = store ?? storeBuilder?.build();
  // The profile columns hold these very values: one array serves both, and a snapshot
  // writes it once.
  const same = columnStore?.columns.numbers;
  // The ranking's sort keys (SORT_ORDERS) as comparators over these columns; without text,
  // a doc's relevance is its static boost. Docs are numbered in id order, so id is the doc.
  const columns: Record<NumericSortField, ArrayLike<number>> = {
    accredited,
    tierRank: narrowFloat(tierRank),
    rating,
    reviewCount: same?.reviewCount ?? narrowFloat(reviewCount),
  };
  const numeric: Record<Exclude<SortField, "nameKey" | "distance">, ArrayLike<number>> = {
    ...columns,
    relevance: staticBoost,
    id: idRank,
  };
  const compare = (keys: readonly SortKey[]) => (a: number, b: number) => {
    for (const { field, order } of keys) {
      let c: number;
      if (field === "distance") {
        throw new Error("distance orders are per query, never built");
      } else if (field === "nameKey") {
        const x = nameKey[a] as string;
        const y = nameKey[b] as string;
        c = x < y ? -1 : x > y ? 1 : 0;
      } else {
        c = (numeric[field][a] as number) - (numeric[field][b] as number);
      }
      if (c !== 0) return order === "asc" ? c : -c;
    }
    return 0;
  };
  const orders = {} as Record<StaticSort, Int32Array>;
  const orderPos = {} as Record<StaticSort, Int32Array>;
  const relevanceGroups: BuiltIndex["relevanceGroups"] = {};
  const groupSets: BuiltIndex["groupSets"] = {};
  for (const sort of STATIC_SORTS) {
    yield;
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
    if (at >= 0) {
      const groups = groupsBy(keys, at, order, n, compare);
      relevanceGroups[sort] = groups;
      groupSets[sort] = setsOf(groups, order, staticBoost, n);
    }
  }
  return {
    n,
    ...(columnStore ? profilesOf(columnStore) : objectsOf(profiles)),
    staticBoost,
    columns,
    listed,
    levels,
    withCapacity,
    accepting,
    accreditations,
    retention: same?.retention ?? retention,
    idRank,
    facets,
    listedCount: listedDocs.length,
    listedFacetCounts,
    geo: geo.build(),
    minBudget: narrowFloat(minBudget),
    orders,
    orderPos,
    relevanceGroups,
    groupSets,
    text,
    scratchScores: new Float64Array(n),
    scratchKm: new Float64Array(n),
    scratchBits: new BitsetPool(n),
  };
}

/** An index's profile accessors over columns. */
export function profilesOf(
  store: ProfileStore,
): Pick<BuiltIndex, "profileAt" | "idAt" | "versionAt" | "store" | "nameKeyAt"> {
  return {
    profileAt: cachedProfiles(store),
    idAt: (d) => store.idAt(d),
    nameKeyAt: (d) => nameKeyOf({ name: store.nameAt(d) }),
    versionAt: (d) => versionOf({ updatedAt: store.updatedAtOf(d) }),
    store,
  };
}

function objectsOf(
  profiles: ProfileList,
): Pick<BuiltIndex, "profileAt" | "idAt" | "versionAt" | "nameKeyAt"> {
  const at = (d: number) => profiles.at(d) as Profile;
  return {
    profileAt: at,
    idAt: (d) => at(d).id,
    versionAt: (d) => versionOf(at(d)),
    nameKeyAt: (d) => nameKeyOf(at(d)),
  };
}

/** Builds in one go (start-up, small deltas). */
export function buildIndex(input: BuildInput): BuiltIndex {
  const steps = buildSteps(input);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Builds slice by slice, giving the event loop back between slices so queries go on. */
export async function buildIndexInBackground(input: BuildInput): Promise<BuiltIndex> {
  const steps = buildSteps(input);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** Lets queued I/O (incoming requests) run; setImmediate where the runtime has it. */
export function pause(): Promise<void> {
  return new Promise<void>((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
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

function setsOf(groups: Int32Array, order: Int32Array, boost: Float64Array, n: number): GroupSets {
  const bits: Bitset[] = [];
  const maxBoost: number[] = [];
  for (const d of order) {
    const g = groups[d] as number;
    while (bits.length <= g) {
      bits.push(newBitset(n));
      maxBoost.push(0);
    }
    setBit(bits[g] as Bitset, d);
    maxBoost[g] = Math.max(maxBoost[g] as number, boost[d] as number);
  }
  return { bits, maxBoost: Float64Array.from(maxBoost) };
}
