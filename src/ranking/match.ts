// The partner finder's ranking, as pure code: hard eligibility, a fit score built from feature
// vectors compared with ml-distance similarities plus business signals, a deterministic
// tie rotation, and per-signal reasons whose contributions add up to the score. Everything
// tunable comes from the match policy (catalog/match-policy.ts); nothing here does I/O.
// Partner features come from per-market column blocks (match-features.ts); the hot loop skips
// a partner as soon as an upper bound of its score cannot reach the page.
import { similarity } from "ml-distance";
import type { Catalog } from "../catalog/catalog.js";
import {
  type MatchPolicy,
  type Motion,
  rankingVersionOf,
  SIGNALS,
  type Signal,
} from "../catalog/match-policy.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Profile } from "../partner/schema.js";
import type { CandidateQuery } from "./candidates.js";
import { kmFromChord2, writeUnitVector } from "./geo.js";
import {
  BlockCache,
  buildLayout,
  F_ACCEPTING,
  F_CAPACITY,
  F_PARTNER,
  F_SERVES,
  FIT_GROUPS,
  type FitGroup,
  type Layout,
  type MarketBlock,
  type RecordGroup,
  saturate,
} from "./match-features.js";
import { orderWithRotation, rotationSeed, type Scored, tieKey } from "./rotation.js";

export interface MatchCustomer {
  country: string;
  languages?: readonly string[];
  industry?: string;
  companySize?: string;
  products?: readonly string[];
  needs?: readonly string[];
  location?: { lat: number; lon: number };
  /** The partner that already manages this customer: first when eligible. */
  partnerOfRecord?: string;
  /** Opaque customer reference (e.g. a CRM id); only seeds the tie rotation. */
  id?: string;
}

export interface MatchRequest {
  customer: MatchCustomer;
  motion?: Motion;
  limit: number;
}

export interface Reason {
  signal: Signal;
  detail: string;
  contribution: number;
}

export type Eligibility = "accredited" | "qualified";

export interface RankedCandidate {
  rank: number;
  score: number;
  eligibility: Eligibility;
  profile: Profile;
  reasons: Reason[];
}

/** The hard rules, in the order they are checked; a candidate meets every one. */
export const HARD_RULES = [
  "program_level",
  "serves_country",
  "shared_language",
  "accepting_referrals",
  "capacity",
  "accredited_or_qualified",
  "motion",
] as const;
export type HardRule = (typeof HARD_RULES)[number];

export interface MatchOutcome {
  market: string;
  rankingVersion: string;
  /** Partners in the market (before the hard rules and the backend's pre-filters). */
  considered: number;
  /** Profiles that meet every hard rule. */
  eligible: number;
  /** Accreditations not offered in this market: nobody needs them, holding them adds nothing. */
  accreditationsNotOffered: string[];
  candidates: RankedCandidate[];
}

/** Contributions are whole millionths, so the reasons add up to the score exactly. */
const UNIT = 1_000_000;

const S = Object.fromEntries(SIGNALS.map((s, i) => [s, i])) as Record<Signal, number>;
const cosine = similarity.cosine;

interface GroupPlan {
  group: FitGroup | "languages";
  signal: number;
  /** Fit columns of the requested dimensions (for languages: indexes into Bound.speaks). */
  dims: Int32Array;
  codes: string[];
  /** Customer vector over the requested dimensions (+ a zero "rest" slot in profile scope). */
  q: Float64Array;
  /** Scratch for the partner's projected vector, same length as q. */
  v: Float64Array;
  /** Compare against the partner's whole profile (a rest dimension carries the remainder). */
  profileScope: boolean;
  /** Index of the group in FIT_GROUPS (its norm column); -1 for languages. */
  normIndex: number;
}

interface AccreditationNeed {
  code: string;
  bit: number;
  offered: boolean;
  /** Fit column of the same-named service. */
  serviceDim: number;
}

/** One request compiled into numbers, so scoring a candidate does no lookups by name. */
export interface RequestPlan {
  request: MatchRequest;
  country: string;
  offeredMask: number;
  anyOffered: boolean;
  notOffered: string[];
  /** Unique, sorted. */
  languages: string[];
  groups: GroupPlan[];
  accreditationNeeds: AccreditationNeed[];
  /** Count columns per record group present in the request. */
  recordGroups: Int32Array[];
  /** Count columns where a proven record qualifies (requested products + industry). */
  qualifyDims: Int32Array;
  requireAccreditation: boolean;
  location?: Float64Array;
  partnerOfRecord?: string;
  applies: Uint8Array;
  weights: Float64Array;
  /** Most the request-dependent column signals can add (partner of record aside). */
  dynamicMax: number;
  /** Sum of the weights of the costly signals that apply: their most possible contribution. */
  costlyMax: number;
  seed: number;
}

/** A plan applied to one block of candidates. */
interface Bound {
  plan: RequestPlan;
  block: MarketBlock;
  /** Row of the partner of record in this block, or -1. */
  porRow: number;
  /** Per plan language: 1 for each row that speaks it. */
  speaks: Uint8Array[];
}

export class Matcher {
  readonly rankingVersion: string;
  readonly layout: Layout;
  readonly blocks: BlockCache;
  private readonly m: MatchPolicy;
  private readonly minTierRank: number;
  /** Catalog tiers ranked at least `minTierRank`, for the backend's pre-filter. */
  private readonly qualifyingTiers: string[];
  private readonly weights: Float64Array;
  private readonly statics = new WeakMap<MarketBlock, Float64Array>();
  private scores = new Float64Array(0);
  private readonly signals = new Float64Array(SIGNALS.length);

  constructor(
    private readonly catalog: Catalog,
    private readonly policy: MarketPolicy,
  ) {
    this.m = policy.data.match;
    this.rankingVersion = rankingVersionOf(this.m);
    this.layout = buildLayout(catalog);
    this.blocks = new BlockCache(catalog, this.layout, this.m);
    this.minTierRank = catalog.tierRank[this.m.qualified.minTier] ?? 0;
    this.qualifyingTiers = Object.keys(catalog.tierRank).filter(
      (t) => (catalog.tierRank[t] as number) >= this.minTierRank,
    );
    this.weights = Float64Array.from(SIGNALS.map((s) => this.m.weights[s]));
  }

  /**
   * The backend's pre-filters for a request: capacity, and "holds an accreditation offered in
   * the market, or meets the tier and retention conditions of `qualified`" (only the first
   * when the motion requires an accreditation the market offers). Each is implied by the hard
   * rules (failedRule), so the filtered list is a superset of the eligible partners; track
   * record and language stay with the ranking (languages: so every language variant of a
   * request shares the market's block).
   */
  candidateQuery(request: MatchRequest): CandidateQuery {
    const country = request.customer.country;
    const offered: string[] = [];
    for (const code of this.layout.accreditationBit.keys()) {
      if (this.policy.accreditationOffered(code, country)) offered.push(code);
    }
    const requireAccreditation =
      request.motion !== undefined &&
      this.m.motions[request.motion].requireAccreditation &&
      offered.length > 0;
    return {
      country,
      withCapacity: true,
      eligibleIf: {
        accreditationsAny: offered,
        ...(requireAccreditation
          ? {}
          : {
              qualified: {
                // Every tier when the minimum is rank 0 (an unknown tier ranks 0 as well).
                ...(this.minTierRank > 0 ? { tiersAny: this.qualifyingTiers } : {}),
                minRetention: this.m.qualified.minRetention,
              },
            }),
      },
    };
  }

  /** Compiles a request; `now` picks the rotation day. */
  plan(request: MatchRequest, now: Date): RequestPlan {
    const c = request.customer;
    const L = this.layout;
    let offeredMask = 0;
    const notOffered: string[] = [];
    for (const [code, bit] of L.accreditationBit) {
      if (this.policy.accreditationOffered(code, c.country)) offeredMask |= 1 << bit;
      else notOffered.push(code);
    }
    const groups: GroupPlan[] = [];
    const fitScope = this.m.fit;
    const addGroup = (group: FitGroup, weighted: [string, number][]) => {
      const dims: number[] = [];
      const q: number[] = [];
      const codes: string[] = [];
      for (const [code, w] of weighted) {
        const d = L.dim[group].get(code);
        if (d === undefined || codes.includes(code)) continue;
        dims.push(L.fitAt[group] + d);
        q.push(w);
        codes.push(code);
      }
      // A zero weight switches a signal off: nothing to compute, nothing to explain.
      if (dims.length === 0 || this.weights[S[group]] === 0) return;
      const profileScope = fitScope[group].scope === "profile";
      if (profileScope) q.push(0);
      groups.push({
        group,
        signal: S[group],
        dims: Int32Array.from(dims),
        codes,
        q: Float64Array.from(q),
        v: new Float64Array(q.length),
        profileScope,
        normIndex: FIT_GROUPS.indexOf(group),
      });
    };
    if (c.products?.length)
      addGroup(
        "products",
        c.products.map((p) => [p, 1]),
      );
    if (c.industry) addGroup("industry", [[c.industry, 1]]);
    if (c.companySize) {
      const sizes = L.codes.company_size;
      const i = sizes.indexOf(c.companySize);
      const credit = this.m.features.adjacentSizeCredit;
      const weighted: [string, number][] = [[c.companySize, 1]];
      if (credit > 0 && i >= 0) {
        for (const j of [i - 1, i + 1]) {
          const code = sizes[j];
          if (code !== undefined) weighted.push([code, credit]);
        }
      }
      addGroup("company_size", weighted);
    }
    if (c.needs?.length)
      addGroup(
        "services",
        c.needs.map((n) => [n, 1]),
      );
    const languages = [...new Set(c.languages ?? [])].sort();
    if (languages.length > 0 && this.weights[S.languages] !== 0) {
      const profileScope = fitScope.languages.scope === "profile";
      const k = languages.length + (profileScope ? 1 : 0);
      const q = new Float64Array(k).fill(1);
      if (profileScope) q[k - 1] = 0;
      groups.push({
        group: "languages",
        signal: S.languages,
        dims: Int32Array.from(languages.map((_, i) => i)),
        codes: languages,
        q,
        v: new Float64Array(k),
        profileScope,
        normIndex: -1,
      });
    }

    const accreditationNeeds: AccreditationNeed[] = [];
    for (const need of new Set(c.needs ?? [])) {
      const bit = L.accreditationBit.get(need);
      if (bit === undefined) continue;
      const svc = L.dim.services.get(need);
      accreditationNeeds.push({
        code: need,
        bit,
        offered: (offeredMask & (1 << bit)) !== 0,
        serviceDim: svc === undefined ? -1 : L.fitAt.services + svc,
      });
    }

    const recDims = (group: RecordGroup, codes: readonly string[]) =>
      Int32Array.from(
        [...new Set(codes)].flatMap((code) => {
          const d = L.dim[group].get(code);
          return d === undefined ? [] : [L.recAt[group] + d];
        }),
      );
    const recordGroups: Int32Array[] = [];
    if (c.products?.length) recordGroups.push(recDims("products", c.products));
    if (c.industry) recordGroups.push(recDims("industry", [c.industry]));
    if (c.companySize) recordGroups.push(recDims("company_size", [c.companySize]));
    const qualifyDims = Int32Array.from([
      ...recDims("products", c.products ?? []),
      ...recDims("industry", c.industry ? [c.industry] : []),
    ]);

    let location: Float64Array | undefined;
    if (c.location && this.weights[S.proximity] !== 0) {
      location = new Float64Array(3);
      writeUnitVector(c.location.lat, c.location.lon, location, 0);
    }

    const applies = new Uint8Array(SIGNALS.length);
    for (const s of ALWAYS) applies[S[s]] = 1;
    if (c.partnerOfRecord) applies[S.partner_of_record] = 1;
    if (accreditationNeeds.length > 0) applies[S.accreditation_match] = 1;
    if (offeredMask !== 0) applies[S.accredited] = 1;
    for (const g of groups) applies[g.signal] = 1;
    if (location) applies[S.proximity] = 1;
    for (let i = 0; i < SIGNALS.length; i++) if (this.weights[i] === 0) applies[i] = 0;

    const anyOffered = offeredMask !== 0;
    const weights = this.weights;
    let dynamicMax = weights[S.track_record] as number;
    if (accreditationNeeds.length > 0) dynamicMax += weights[S.accreditation_match] as number;
    if (anyOffered) dynamicMax += weights[S.accredited] as number;
    let costlyMax = 0;
    for (const g of groups) costlyMax += weights[g.signal] as number;
    if (location) costlyMax += weights[S.proximity] as number;
    return {
      request,
      country: c.country,
      offeredMask,
      anyOffered,
      notOffered,
      languages,
      groups,
      accreditationNeeds,
      recordGroups,
      qualifyDims,
      requireAccreditation:
        request.motion !== undefined &&
        this.m.motions[request.motion].requireAccreditation &&
        anyOffered,
      ...(location ? { location } : {}),
      ...(c.partnerOfRecord ? { partnerOfRecord: c.partnerOfRecord } : {}),
      applies,
      weights,
      dynamicMax,
      costlyMax,
      seed: rotationSeed(seedOf(request), now),
    };
  }

  private bind(plan: RequestPlan, block: MarketBlock): Bound {
    return {
      plan,
      block,
      porRow: plan.partnerOfRecord ? block.rowOfId(plan.partnerOfRecord) : -1,
      speaks: plan.languages.map((l) => block.speaks(l)),
    };
  }

  /** Accredited here: holds an accreditation that this market offers. */
  private accredited(x: Bound, r: number): boolean {
    return ((x.block.accreditationMask[r] as number) & x.plan.offeredMask) !== 0;
  }

  /** Meets the policy's conditions for a partner without an accreditation offered here. */
  private qualified(x: Bound, r: number): boolean {
    const b = x.block;
    const q = this.m.qualified;
    if ((b.tierRank[r] as number) < this.minTierRank) return false;
    if ((b.retention[r] as number) < q.minRetention) return false;
    const dims = x.plan.qualifyDims;
    if (dims.length === 0) return (b.totalProductRecord[r] as number) >= q.minTrackRecord;
    for (let i = 0; i < dims.length; i++) {
      if ((b.counts[(dims[i] as number) * b.n + r] as number) >= q.minTrackRecord) return true;
    }
    return false;
  }

  /** The first hard rule row `r` fails (index into HARD_RULES), or -1 when eligible. */
  private failedRule(x: Bound, r: number): number {
    const f = x.block.flags[r] as number;
    if ((f & F_PARTNER) === 0) return 0;
    if ((f & F_SERVES) === 0) return 1;
    const speaks = x.speaks;
    if (speaks.length > 0) {
      let any = 0;
      for (let i = 0; i < speaks.length; i++) any |= (speaks[i] as Uint8Array)[r] as number;
      if (any === 0) return 2;
    }
    if ((f & F_ACCEPTING) === 0) return 3;
    if ((f & F_CAPACITY) === 0) return 4;
    const accredited = this.accredited(x, r);
    if (!accredited && !this.qualified(x, r)) return 5;
    if (x.plan.requireAccreditation && !accredited) return 6;
    return -1;
  }

  /** The hard rule a profile fails for this request, or undefined when it is eligible. */
  check(p: Profile, plan: RequestPlan): HardRule | undefined {
    const x = this.bind(plan, this.blocks.build([p], plan.country));
    return HARD_RULES[this.failedRule(x, 0)];
  }

  /**
   * Writes each signal's value (0..1, before weighting) into `out`; inapplicable ones are 0.
   * The hot loop and the reasons both read these values, so explanations cannot drift.
   */
  private fillSignals(x: Bound, r: number, out: Float64Array): void {
    out.fill(0);
    this.fillStatic(x.block, r, out);
    this.fillDynamic(x, r, out);
    this.fillCostly(x, r, out);
  }

  /**
   * Signals that do not depend on the request; their weighted sum is kept per block (see
   * staticScores). Each fill* writes its signals' values and returns their weighted sum.
   */
  private fillStatic(b: MarketBlock, r: number, out: Float64Array): number {
    const w = this.weights;
    const max = this.catalog.maxTierRank;
    const tier = max > 0 ? (b.tierRank[r] as number) / max : 0;
    const retention = b.retention[r] as number;
    const toolUsage = b.toolUsage[r] as number;
    const reviews = (b.rating[r] as number) / 5;
    const capacity = b.headroom[r] as number;
    out[S.tier] = tier;
    out[S.retention] = retention;
    out[S.tool_usage] = toolUsage;
    out[S.reviews] = reviews;
    out[S.capacity] = capacity;
    return (
      (w[S.tier] as number) * tier +
      (w[S.retention] as number) * retention +
      (w[S.tool_usage] as number) * toolUsage +
      (w[S.reviews] as number) * reviews +
      (w[S.capacity] as number) * capacity
    );
  }

  /** Request-dependent signals read straight from columns. */
  private fillDynamic(x: Bound, r: number, out: Float64Array): number {
    const { plan, block: b } = x;
    const w = this.weights;
    const n = b.n;
    let sum = 0;
    if (r === x.porRow) {
      out[S.partner_of_record] = 1;
      sum += w[S.partner_of_record] as number;
    }
    const mask = b.accreditationMask[r] as number;
    const needs = plan.accreditationNeeds;
    if (needs.length > 0) {
      let met = 0;
      for (let i = 0; i < needs.length; i++) {
        const need = needs[i] as AccreditationNeed;
        // Where an accreditation is not offered nobody can hold it: the service alone counts,
        // for everyone, so lacking the accreditation costs nothing.
        if (
          need.offered
            ? (mask & (1 << need.bit)) !== 0
            : need.serviceDim >= 0 && b.fit[need.serviceDim * n + r] === 1
        ) {
          met++;
        }
      }
      const v = met / needs.length;
      out[S.accreditation_match] = v;
      sum += (w[S.accreditation_match] as number) * v;
    }
    if ((mask & plan.offeredMask) !== 0) {
      out[S.accredited] = 1;
      sum += w[S.accredited] as number;
    }
    const rec = this.record(b, r, plan);
    out[S.track_record] = rec;
    return sum + (w[S.track_record] as number) * rec;
  }

  /** The similarity and distance signals: the costly part, each at most 1. */
  private fillCostly(x: Bound, r: number, out: Float64Array): number {
    const { plan, block: b } = x;
    const w = this.weights;
    let sum = 0;
    for (let gi = 0; gi < plan.groups.length; gi++) {
      const g = plan.groups[gi] as GroupPlan;
      const v = this.groupSimilarity(x, r, g);
      out[g.signal] = v;
      sum += (w[g.signal] as number) * v;
    }
    if (plan.location) {
      const km = nearestKm(b, r, plan.location);
      const v = km === undefined ? 0 : Math.exp(-km / this.m.features.decayKm);
      out[S.proximity] = v;
      sum += (w[S.proximity] as number) * v;
    }
    return sum;
  }

  /** Weighted sum of the request-independent signals per row, computed once per block. */
  private staticScores(b: MarketBlock): Float64Array {
    let col = this.statics.get(b);
    if (!col) {
      col = new Float64Array(b.n);
      const out = new Float64Array(SIGNALS.length);
      for (let r = 0; r < b.n; r++) col[r] = this.fillStatic(b, r, out);
      this.statics.set(b, col);
    }
    return col;
  }

  /** Projects the partner onto the requested dimensions (+ rest) and asks ml-distance. */
  private groupSimilarity(x: Bound, r: number, g: GroupPlan): number {
    const b = x.block;
    const v = g.v;
    const k = g.codes.length;
    const n = b.n;
    let inRequest = 0;
    if (g.normIndex < 0) {
      for (let i = 0; i < k; i++) {
        const s = (x.speaks[g.dims[i] as number] as Uint8Array)[r] as number;
        v[i] = s;
        inRequest += s;
      }
      if (g.profileScope) v[k] = Math.sqrt(Math.max(0, (b.languageCount[r] as number) - inRequest));
    } else {
      for (let i = 0; i < k; i++) {
        const f = b.fit[(g.dims[i] as number) * n + r] as number;
        v[i] = f;
        inRequest += f * f;
      }
      // Exact: the customer is 0 outside the request, so one dimension holding the L2 norm of
      // the partner's remaining dimensions leaves the dot product and both norms unchanged.
      if (g.profileScope) {
        v[k] = Math.sqrt(Math.max(0, (b.norm2[g.normIndex * n + r] as number) - inRequest));
      }
    }
    if (inRequest === 0) return 0;
    return Math.min(1, cosine(g.q, v));
  }

  private record(b: MarketBlock, r: number, plan: RequestPlan): number {
    const h = this.m.features.recordHalfSaturation;
    const groups = plan.recordGroups;
    if (groups.length === 0) return saturate(b.totalProductRecord[r] as number, h);
    let sum = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const dims = groups[gi] as Int32Array;
      let s = 0;
      for (let i = 0; i < dims.length; i++)
        s += saturate(b.counts[(dims[i] as number) * b.n + r] as number, h);
      sum += dims.length > 0 ? s / dims.length : 0;
    }
    return sum / groups.length;
  }

  /**
   * The score of an eligible row, or -Infinity as soon as an upper bound shows it cannot reach
   * `atLeast`: most of a market is dismissed from its static score alone, and the costly
   * similarities are computed for the few that might make the page.
   */
  private score(x: Bound, r: number, staticScore: number, atLeast: number): number {
    const out = this.signals;
    const plan = x.plan;
    const por = r === x.porRow;
    if (!por && staticScore + plan.dynamicMax + plan.costlyMax < atLeast) {
      return Number.NEGATIVE_INFINITY;
    }
    const cheap = staticScore + this.fillDynamic(x, r, out);
    if (!por && cheap + plan.costlyMax < atLeast) return Number.NEGATIVE_INFINITY;
    return cheap + this.fillCostly(x, r, out);
  }

  /**
   * Ranks `profiles` (the backend's coarse pre-filter for the market) for one request. Every
   * hard rule is applied here again; only the best `limit` are explained.
   */
  rank(profiles: readonly Profile[], request: MatchRequest, now: Date): MatchOutcome {
    const plan = this.plan(request, now);
    const block = this.blocks.get(profiles, plan.country);
    const x = this.bind(plan, block);
    const n = block.n;
    if (this.scores.length < n) this.scores = new Float64Array(Math.max(n, this.scores.length * 2));
    const scores = this.scores;
    const floor = new ScoreFloor(request.limit);
    const statics = this.staticScores(block);
    const eps = this.m.tieEpsilon;
    let eligible = 0;
    for (let r = 0; r < n; r++) {
      if (this.failedRule(x, r) >= 0) {
        scores[r] = Number.NEGATIVE_INFINITY;
        continue;
      }
      eligible++;
      const atLeast = floor.full() ? floor.min() - eps : Number.NEGATIVE_INFINITY;
      const s = this.score(x, r, statics[r] as number, atLeast);
      scores[r] = s;
      if (s !== Number.NEGATIVE_INFINITY) floor.push(s);
    }
    // Everything within epsilon of the limit-th score may rotate into the page.
    const cut = floor.full() ? floor.min() - eps : Number.NEGATIVE_INFINITY;
    const pool: (Scored & { row: number })[] = [];
    for (let r = 0; r < n; r++) {
      const s = scores[r] as number;
      if (s === Number.NEGATIVE_INFINITY || s < cut) continue;
      pool.push({
        score: s,
        id: (block.profiles[r] as Profile).id,
        tie: tieKey(block.idHash[r] as number, plan.seed),
        row: r,
      });
    }
    const ordered = orderWithRotation(pool, this.m.tieEpsilon).slice(0, request.limit);
    return {
      market: plan.country,
      rankingVersion: this.rankingVersion,
      considered: n,
      eligible,
      accreditationsNotOffered: plan.notOffered,
      candidates: ordered.map((o, i) => this.explain(x, o.row, i + 1)),
    };
  }

  /** Score and reasons of one eligible row; the contributions add up to the score. */
  private explain(x: Bound, r: number, rank: number): RankedCandidate {
    const { plan, block } = x;
    const p = block.profiles[r] as Profile;
    const out = new Float64Array(SIGNALS.length);
    this.fillSignals(x, r, out);
    const reasons: Reason[] = [];
    let units = 0;
    for (let i = 0; i < SIGNALS.length; i++) {
      if (!plan.applies[i]) continue;
      const signal = SIGNALS[i] as Signal;
      if (signal === "partner_of_record" && r !== x.porRow) continue;
      const u = Math.round((plan.weights[i] as number) * (out[i] as number) * UNIT);
      units += u;
      reasons.push({
        signal,
        detail: this.detail(signal, x, r, out[i] as number),
        contribution: u / UNIT,
      });
    }
    return {
      rank,
      score: units / UNIT,
      eligibility: this.accredited(x, r) ? "accredited" : "qualified",
      profile: p,
      reasons,
    };
  }

  private detail(signal: Signal, x: Bound, r: number, value: number): string {
    const { plan, block: b } = x;
    const p = b.profiles[r] as Profile;
    const label = this.catalog.label;
    const c = plan.request.customer;
    const tr = p.internal.trackRecord;
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    const sim = `similarity ${value.toFixed(2)}`;
    switch (signal) {
      case "partner_of_record":
        return "already manages this customer; the partner of record ranks first when eligible";
      case "accreditation_match":
        return plan.accreditationNeeds
          .map((need) => {
            const name = label("accreditation", need.code);
            if (!need.offered) {
              const svc = need.serviceDim >= 0 && b.fit[need.serviceDim * b.n + r] === 1;
              return `${name}: not offered in ${plan.country}, judged by the service (${svc ? "offered" : "not offered"})`;
            }
            const held = ((b.accreditationMask[r] as number) & (1 << need.bit)) !== 0;
            return `${name}: ${held ? "accredited" : "not accredited"}`;
          })
          .join("; ");
      case "accredited": {
        const held = p.accreditations
          .map((a) => a.code)
          .filter((code) => this.policy.accreditationOffered(code, plan.country));
        return held.length > 0
          ? `holds ${held.map((h) => label("accreditation", h)).join(", ")}`
          : `holds no accreditation offered in ${plan.country}`;
      }
      case "products":
        return `${[...new Set(c.products ?? [])]
          .map(
            (h) => `${label("product", h)}: ${declaredAnd(p.products.includes(h), tr.products[h])}`,
          )
          .join("; ")}; ${sim}`;
      case "industry": {
        const ind = c.industry ?? "";
        return `${label("industry", ind)}: ${declaredAnd(p.industries.includes(ind), tr.industries[ind])}; ${sim}`;
      }
      case "company_size": {
        const size = c.companySize ?? "";
        return `${label("customerSize", size)}: ${declaredAnd(p.customerSizes.includes(size), tr.customerSizes[size])}; ${sim}`;
      }
      case "services": {
        const needs = [...new Set(c.needs ?? [])];
        const has = needs.filter((h) => p.services.includes(h));
        const missing = needs.filter((h) => !p.services.includes(h));
        const names = (a: string[]) => a.map((h) => label("service", h)).join(", ");
        return `offers ${has.length} of ${needs.length} needed services${has.length ? `: ${names(has)}` : ""}${missing.length ? `; not ${names(missing)}` : ""}`;
      }
      case "languages": {
        const shared = plan.languages.filter((l) => p.languages.includes(l));
        return `speaks ${shared.join(", ")} of ${plan.languages.join(", ")}`;
      }
      case "track_record": {
        if (plan.recordGroups.length === 0) {
          return `${b.totalProductRecord[r]} customers across products (${pct(value)} of full credit)`;
        }
        const parts = [
          ...[...new Set(c.products ?? [])].map(
            (h) => `${tr.products[h] ?? 0} ${label("product", h)}`,
          ),
          ...(c.industry
            ? [`${tr.industries[c.industry] ?? 0} ${label("industry", c.industry)}`]
            : []),
          ...(c.companySize
            ? [`${tr.customerSizes[c.companySize] ?? 0} ${label("customerSize", c.companySize)}`]
            : []),
        ];
        return `customers: ${parts.join(", ")} (${pct(value)} of full credit)`;
      }
      case "tier":
        return `${label("tier", p.tier)} (tier ${b.tierRank[r]} of ${this.catalog.maxTierRank})`;
      case "retention":
        return `retains ${pct(p.internal.retention)} of managed customers`;
      case "tool_usage":
        return `tool-usage index ${p.internal.toolUsageIndex} (full credit at ${this.m.features.toolUsageTarget})`;
      case "reviews":
        return `${p.reviews.average} from ${p.reviews.count} reviews (weighted ${(b.rating[r] as number).toFixed(2)})`;
      case "proximity": {
        const km = plan.location ? nearestKm(b, r, plan.location) : undefined;
        return km === undefined
          ? "no office with known coordinates"
          : `nearest office ${Math.round(km)} km away`;
      }
      case "capacity": {
        const cap = p.internal.capacity;
        return `${cap.maxOpenReferrals - cap.openReferrals} of ${cap.maxOpenReferrals} referral slots free`;
      }
    }
  }
}

const ALWAYS = ["track_record", "tier", "retention", "tool_usage", "reviews", "capacity"] as const;

function nearestKm(b: MarketBlock, r: number, at: Float64Array): number | undefined {
  const from = b.coordAt[r] as number;
  const to = b.coordAt[r + 1] as number;
  if (from === to) return undefined;
  const c = b.coords;
  let best = Number.POSITIVE_INFINITY;
  for (let i = from; i < to; i += 3) {
    const dx = (c[i] as number) - (at[0] as number);
    const dy = (c[i + 1] as number) - (at[1] as number);
    const dz = (c[i + 2] as number) - (at[2] as number);
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 < best) best = d2;
  }
  return kmFromChord2(best);
}

function declaredAnd(declared: boolean, count: number | undefined): string {
  return `${declared ? "declared" : "not declared"}, ${count ?? 0} customers`;
}

/**
 * The request in canonical form for the rotation seed: sets sorted, and without `limit`, so
 * asking for more results never reorders the first ones.
 */
function seedOf(r: MatchRequest): unknown {
  const c = r.customer;
  const sorted = (a?: readonly string[]) => (a ? [...new Set(a)].sort() : undefined);
  return {
    customer: {
      ...c,
      languages: sorted(c.languages),
      products: sorted(c.products),
      needs: sorted(c.needs),
    },
    motion: r.motion,
  };
}

/** The `k` largest scores seen so far (a min-heap), to know the page's lowest score. */
class ScoreFloor {
  private readonly heap: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.heap = new Float64Array(Math.max(1, k));
  }

  full(): boolean {
    return this.size >= this.k;
  }

  min(): number {
    return this.heap[0] as number;
  }

  push(x: number): void {
    const h = this.heap;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((h[parent] as number) <= x) break;
        h[i] = h[parent] as number;
        i = parent;
      }
      h[i] = x;
      return;
    }
    if (x <= (h[0] as number)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= x) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = x;
  }
}
