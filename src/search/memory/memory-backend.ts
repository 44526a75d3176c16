// The embedded search engine: an in-process index over the whole partner set. It serves the
// Node default, the tests and the edge when no cluster is configured, and evaluates the same
// plans as the Elasticsearch backend with the same ordering rules.
//
// Updates never block readers and are never seen half-applied: a query reads one immutable
// view (a large base index, the base docs still current, and a small delta index of the
// profiles changed since the base was built), and an apply swaps in a new view whole. Once the
// delta grows, the base is rebuilt in the background in slices while queries go on.
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { type FeedEntry, type Profile, versionOf } from "../../partner/schema.js";
import { addExcluded } from "../../ranking/candidates.js";
import {
  countingKey,
  type DirectoryDoc,
  type DirectoryPlan,
  keepWords,
  SORT_ORDERS,
  toDirectoryDoc,
} from "../../ranking/directory.js";
import { chooseRelaxation } from "../../ranking/text-match.js";
import {
  type ApplySummary,
  addSummary,
  type CandidateQuery,
  type CandidateSet,
  type DirectoryResult,
  type Readiness,
  type SearchBackend,
} from "../backend.js";
import { type Bitset, clearBit, count, fullBitset, hasBit } from "./bitset.js";
import {
  type BuildInput,
  type BuiltIndex,
  buildIndex,
  buildIndexInBackground,
  type ProfileList,
  pause,
} from "./built-index.js";
import { InternPool } from "./compact.js";
import { FacetCache } from "./facet-cache.js";
import { countsInOrder } from "./facet-index.js";
import { byId, docOf, hitOf, mergeById, mergeHits } from "./index-merge.js";
import {
  candidatesIn,
  type DirectoryOptions,
  directoryIn,
  relaxCountsIn,
  wordMatchesIn,
} from "./index-query.js";
import { ProfileStore, ProfileStoreBuilder } from "./profile-store.js";

interface Held {
  version: number;
  /** Absent for a delete, and for a profile staged as columns (`staged`). */
  profile?: Profile;
  /** Its doc in `staging`. */
  staged?: number;
}

/** What one query reads: a consistent state, replaced whole by an apply. */
interface View {
  /** Increases with every new view. */
  generation: number;
  base: BuiltIndex;
  /** Base docs no newer version or delete has replaced; absent when none was. */
  baseAlive?: Bitset;
  /** The profiles changed since the base was built; absent when none. */
  delta?: BuiltIndex;
}

export interface MemoryTuning {
  /** Changes held in the delta before the base is rebuilt in the background. */
  mergeAt: number;
  /**
   * An apply that leaves more changes than this waits for a rebuilt base instead of growing
   * the delta (a bulk push); readers see the state before it until then.
   */
  maxDelta: number;
  /** Score every text match: the reference that tests hold the pruned ranking to. */
  exhaustiveText?: boolean;
}

/** Entries recorded between two pauses of a large apply. */
const RECORD_SLICE = 1_000;

const DEFAULT_TUNING: MemoryTuning = { mergeAt: 256, maxDelta: 2048 };

export class MemoryBackend implements SearchBackend {
  readonly kind = "memory";
  /**
   * The ids changed since they were last built into a base, with their newest version and
   * profile, and every delete ever seen, so deletes stay final. Any other id's version is the
   * base's, and its profile lives in the base's columns only: 100k profiles are not kept here.
   */
  private readonly held = new Map<string, Held>();
  /** Shares repeated strings among held profiles; replaced once a base holds them all. */
  private pool = new InternPool();
  private current: View | undefined;
  private generations = 0;
  /** Ids whose held state differs from the current base. */
  private changed = new Set<string>();
  /** The view is behind `held`. */
  private pending = false;
  /** Set by applySync: the next read brings the view up to date. */
  private lazy = false;
  private readonly deltaDocs = new WeakMap<Profile, DirectoryDoc>();
  private readonly facetCache = new FacetCache();
  private merging: { since: Set<string>; done: Promise<void> } | undefined;
  /**
   * Before the first base exists (a feed loading at start), profiles are recorded as columns
   * here instead of as objects, so 100k of them never sit in the heap at once; the first build
   * reads them back one at a time and, for a feed in id order, keeps these columns as its own.
   */
  private staging: ProfileStoreBuilder | undefined;

  /** Starts from an index already built (decoded from a binary snapshot), not from profiles. */
  static fromIndex(
    base: BuiltIndex,
    catalog: Catalog,
    policy: MarketPolicy,
    tuning?: MemoryTuning,
  ): MemoryBackend {
    const m = new MemoryBackend(catalog, policy, tuning);
    m.install(base);
    return m;
  }

  constructor(
    private readonly catalog: Catalog,
    private readonly policy: MarketPolicy,
    private readonly tuning: MemoryTuning = DEFAULT_TUNING,
  ) {}

  /** Resolves once the change is visible to every later query. */
  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    // Recorded in slices, so a large push does not hold the readers up either; they read the
    // view, which none of this touches.
    const summary: ApplySummary = { indexed: 0, updated: 0, deleted: 0, stale: 0 };
    for (let at = 0; at < entries.length; at += RECORD_SLICE) {
      if (at > 0) await pause();
      addSummary(summary, this.record(entries.slice(at, at + RECORD_SLICE)));
    }
    if (!changes(summary) || !this.current) return summary;
    while (this.changed.size > this.tuning.maxDelta) await this.merge();
    if (this.pending) this.install(this.view().base);
    if (this.changed.size >= this.tuning.mergeAt) this.merge().catch(() => {});
    return summary;
  }

  /** Synchronous form, for loading at start-up: the view is brought up to date on next read. */
  applySync(entries: readonly FeedEntry[]): ApplySummary {
    const summary = this.record(entries);
    if (changes(summary)) this.lazy = true;
    return summary;
  }

  /** Resolves when no background rebuild is running (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    while (this.merging) await this.merging.done;
  }

  /** The generation of what queries now read; increases with every applied change. */
  get generation(): number {
    return this.view().generation;
  }

  get size(): number {
    const v = this.view();
    return (v.baseAlive ? count(v.baseAlive) : v.base.n) + (v.delta?.n ?? 0);
  }

  /** From the view, like every query: a change under way is not seen here before searches. */
  async get(id: string): Promise<Profile | undefined> {
    const v = this.view();
    const inDelta = v.delta ? docOf(v.delta, id) : -1;
    if (inDelta >= 0) return v.delta?.profileAt(inDelta);
    const d = docOf(v.base, id);
    return d >= 0 && (!v.baseAlive || hasBit(v.baseAlive, d)) ? v.base.profileAt(d) : undefined;
  }

  async readiness(): Promise<Readiness> {
    const v = this.view();
    const n = this.size;
    return {
      ready: n > 0,
      backend: this.kind,
      details: { profiles: n, generation: v.generation, pendingUpdates: v.delta?.n ?? 0 },
    };
  }

  async candidates(query: CandidateQuery): Promise<CandidateSet> {
    return this.candidateSetSync(query);
  }

  /** The market's profiles that pass the query's pre-filters, in id order. */
  candidatesSync(query: CandidateQuery): Profile[] {
    return this.candidateSetSync(query).profiles;
  }

  candidateSetSync(query: CandidateQuery): CandidateSet {
    const v = this.view();
    const fromBase = candidatesIn(v.base, query, v.baseAlive);
    if (!v.delta) return fromBase;
    const fromDelta = candidatesIn(v.delta, query);
    return {
      profiles: mergeById(fromBase.profiles, fromDelta.profiles),
      marketSize: fromBase.marketSize + fromDelta.marketSize,
      excludedBy: addExcluded(fromBase.excludedBy, fromDelta.excludedBy),
    };
  }

  async directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    return this.directorySync(plan);
  }

  directorySync(plan: DirectoryPlan): DirectoryResult {
    const v = this.view();
    const r = this.directoryIn(v, plan);
    const words = plan.text?.words ?? [];
    if (r.total > 0 || words.length < 2) return r;
    // Nobody matches every word: drop the fewest words, chosen by the ranking's rule from the
    // counts over base and delta together.
    const inBase = wordMatchesIn(v.base, plan);
    const inDelta = v.delta ? wordMatchesIn(v.delta, plan) : [];
    const kept = chooseRelaxation(
      words.length,
      this.policy.data.directory.text.relaxMaxCombinations,
      (level) => {
        const counts = relaxCountsIn(v.base, plan, inBase, level, v.baseAlive);
        if (!v.delta) return counts;
        const more = relaxCountsIn(v.delta, plan, inDelta, level);
        return counts.map((c, i) => c + (more[i] as number));
      },
    );
    if (!kept) return r;
    const relaxed = keepWords(plan, kept);
    return {
      ...this.directoryIn(v, relaxed),
      relaxed: { dropped: relaxed.text?.dropped ?? [] },
    };
  }

  private directoryIn(v: View, plan: DirectoryPlan): DirectoryResult {
    const { base, delta } = v;
    const key = countingKey(plan);
    // The exhaustive mode is the reference the fast paths are measured against: nothing kept.
    const options = (part: string): DirectoryOptions =>
      this.tuning.exhaustiveText
        ? this.queryOptions()
        : {
            ...this.queryOptions(),
            kept: { cache: this.facetCache, generation: v.generation, key: `${part}${key}` },
          };
    if (!delta) {
      const r = directoryIn(base, plan, v.baseAlive, options("base"));
      return { ...r, hits: r.hits.map((h) => hitOf(base, h)) };
    }
    // Each index's best `from + size`, merged by the sort's keys, hold the requested page.
    const window = { ...plan, from: 0, size: plan.from + plan.size };
    const a = directoryIn(base, window, v.baseAlive, options("base"));
    const b = directoryIn(delta, window, undefined, options("delta"));
    const hits = mergeHits(
      SORT_ORDERS[plan.sort],
      a.hits.map((h) => [base, h] as const),
      b.hits.map((h) => [delta, h] as const),
    );
    const facets: DirectoryResult["facets"] = {};
    for (const field of plan.facets) {
      const sum = new Map(Object.entries(a.facets[field] ?? {}));
      for (const [value, c] of Object.entries(b.facets[field] ?? {})) {
        sum.set(value, (sum.get(value) ?? 0) + c);
      }
      facets[field] = countsInOrder([...sum]);
    }
    return {
      total: a.total + b.total,
      hits: hits.slice(plan.from, plan.from + plan.size).map(([ix, h]) => hitOf(ix, h)),
      facets,
    };
  }

  private queryOptions(): DirectoryOptions {
    return { exhaustive: this.tuning.exhaustiveText === true };
  }

  /** Records entries in `held` (newest version wins) and marks their ids changed. */
  private record(entries: readonly FeedEntry[]): ApplySummary {
    const summary: ApplySummary = { indexed: 0, updated: 0, deleted: 0, stale: 0 };
    for (const e of entries) {
      const data = e.kind === "upsert" ? e.profile : e.tombstone;
      const version = versionOf(data);
      const prev = this.stateOf(data.id);
      if (prev && prev.version >= version) {
        summary.stale++;
        continue;
      }
      if (e.kind === "upsert" && !this.current) {
        this.staging ??= new ProfileStoreBuilder();
        this.held.set(data.id, { version, staged: this.staging.size });
        this.staging.add(e.profile);
        if (prev?.present) summary.updated++;
        else summary.indexed++;
      } else if (e.kind === "upsert") {
        this.held.set(data.id, { version, profile: this.pool.profile(e.profile) });
        if (prev?.present) summary.updated++;
        else summary.indexed++;
      } else {
        this.held.set(data.id, { version });
        if (prev?.present) summary.deleted++;
        // A delete of an id never listed changes nothing a query can see.
        else continue;
      }
      this.changed.add(data.id);
      this.merging?.since.add(data.id);
      this.pending = true;
    }
    return summary;
  }

  /** An id's newest version and whether it is listed (not deleted); undefined if never seen. */
  private stateOf(id: string): { version: number; present: boolean } | undefined {
    const h = this.held.get(id);
    if (h)
      return { version: h.version, present: h.profile !== undefined || h.staged !== undefined };
    const base = this.current?.base;
    const d = base ? docOf(base, id) : -1;
    // Not held: unchanged since the base was built, so the base's doc is current.
    return base && d >= 0 ? { version: base.versionAt(d), present: true } : undefined;
  }

  private view(): View {
    if (this.current && !(this.lazy && this.pending)) return this.current;
    if (this.current && this.changed.size <= this.tuning.maxDelta) {
      this.install(this.current.base);
    } else {
      const input = this.buildInput();
      const built = this.changed;
      this.changed = new Set();
      this.install(buildIndex(input));
      this.release(built);
    }
    return this.current as View;
  }

  /**
   * Drops the held profiles of `ids` now that a base holds them (as columns), unless they
   * changed again since (a rebuild under way will want them).
   */
  private release(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.changed.has(id) || this.merging?.since.has(id)) continue;
      const h = this.held.get(id);
      if (h?.profile || h?.staged !== undefined) this.held.delete(id);
    }
    if (this.changed.size === 0 && !this.merging) this.pool = new InternPool();
  }

  /** A new view over `base`: the changed ids masked out of it and indexed in a delta. */
  private install(base: BuiltIndex): void {
    let baseAlive: Bitset | undefined;
    const deltaProfiles: Profile[] = [];
    if (this.changed.size > 0) {
      baseAlive = fullBitset(base.n);
      for (const id of this.changed) {
        const d = docOf(base, id);
        if (d >= 0) clearBit(baseAlive, d);
        const p = this.held.get(id)?.profile;
        if (p) deltaProfiles.push(p);
      }
    }
    deltaProfiles.sort(byId);
    const delta =
      deltaProfiles.length > 0
        ? buildIndex({
            catalog: this.catalog,
            policy: this.policy,
            profiles: deltaProfiles,
            textStatsOf: base.text,
            keepObjects: true,
            docOf: (p) => this.deltaDoc(p),
          })
        : undefined;
    this.current = {
      generation: ++this.generations,
      base,
      ...(baseAlive ? { baseAlive } : {}),
      ...(delta ? { delta } : {}),
    };
    this.pending = false;
    this.lazy = false;
  }

  /** A delta profile's directory doc, analysed once however often the delta is rebuilt. */
  private deltaDoc(p: Profile): DirectoryDoc {
    let doc = this.deltaDocs.get(p);
    if (!doc) {
      doc = toDirectoryDoc(p, this.catalog, this.policy);
      this.deltaDocs.set(p, doc);
    }
    return doc;
  }

  /** Rebuilds the base from every held profile in the background; one rebuild at a time. */
  private merge(): Promise<void> {
    if (this.merging) return this.merging.done;
    const since = new Set<string>();
    const input = this.buildInput();
    const built = this.changed;
    const done = buildIndexInBackground(input)
      .then((base) => {
        // What changed while the base was being built is the new delta.
        this.changed = since;
        this.install(base);
        this.release(built);
      })
      .finally(() => {
        this.merging = undefined;
      });
    this.merging = { since, done };
    return done;
  }

  /** The staged profiles (every change so far: no base exists yet) as a build's input. */
  private unstage(): Pick<BuildInput, "profiles" | "store"> {
    const staged = this.staging?.build() ?? ProfileStore.of([]);
    this.staging = undefined;
    return stagedInput(staged, this.held);
  }

  /**
   * What a rebuild indexes: the current base's docs that did not change, read from its columns
   * one at a time as the build reaches them, merged in id order with the changed profiles.
   */
  private buildInput(): BuildInput {
    const changedProfiles: Profile[] = [];
    for (const id of this.changed) {
      const p = this.held.get(id)?.profile;
      if (p) changedProfiles.push(p);
    }
    changedProfiles.sort(byId);
    const base = this.current?.base;
    const common = { catalog: this.catalog, policy: this.policy };
    if (!base) return { ...common, ...this.unstage() };
    const kept = fullBitset(base.n);
    for (const id of this.changed) {
      const d = docOf(base, id);
      if (d >= 0) clearBit(kept, d);
    }
    const entries: (number | Profile)[] = [];
    let j = 0;
    for (let d = 0; d < base.n; d++) {
      if (!hasBit(kept, d)) continue;
      const id = base.idAt(d);
      while (j < changedProfiles.length && (changedProfiles[j] as Profile).id < id) {
        entries.push(changedProfiles[j++] as Profile);
      }
      entries.push(d);
    }
    while (j < changedProfiles.length) entries.push(changedProfiles[j++] as Profile);
    // Straight from the columns: the cache would only fill with profiles read once.
    const store = base.store;
    const read = store ? (d: number) => store.profileAt(d) : base.profileAt;
    const profiles: ProfileList = {
      length: entries.length,
      at: (i) => {
        const e = entries[i];
        return typeof e === "number" ? read(e) : e;
      },
    };
    return { ...common, profiles };
  }
}

/** A staged feed's newest profiles in id order: its own columns when it came in that order. */
function stagedInput(
  store: ProfileStore,
  held: ReadonlyMap<string, Held>,
): Pick<BuildInput, "profiles" | "store"> {
  const docs: { id: string; doc: number }[] = [];
  for (const [id, h] of held) if (h.staged !== undefined) docs.push({ id, doc: h.staged });
  docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const profiles: ProfileList = {
    length: docs.length,
    at: (i) => store.profileAt((docs[i] as { doc: number }).doc),
  };
  const inOrder = docs.length === store.n && docs.every((x, i) => x.doc === i);
  return inOrder ? { profiles, store } : { profiles };
}

function changes(s: ApplySummary): boolean {
  return s.indexed + s.updated + s.deleted > 0;
}
