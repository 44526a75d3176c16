// A staff match request compiled into numbers (RequestPlan) once per request, so that checking
// and scoring each of a market's partners does no lookups by name; and the backend pre-filter
// query the hard rules imply. Eligibility, signals, explanations and pruning only read what
// is compiled here, which is why the shared context and the plan-on-a-block (Bound) live here
// too: this module sits below all of them and imports none of them.
import type { Catalog } from "../catalog/catalog.js";
import { type MatchPolicy, SIGNALS, type Signal } from "../catalog/match-policy.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { CandidateQuery } from "./candidates.js";
import { writeUnitVector } from "./geo.js";
import {
  buildLayout,
  FIT_GROUPS,
  type FitGroup,
  type Layout,
  type MarketBlock,
  type RecordGroup,
} from "./match-features.js";
import type { MatchRequest } from "./match-types.js";
import { rotationSeed } from "./rotation.js";
import {
  motionRequiresAccreditation,
  offeredAccreditations,
  qualifiedConditions,
} from "./rules.js";

/** Position of each signal in SIGNALS: plans and signal vectors are indexed by number. */
export const S = Object.fromEntries(SIGNALS.map((s, i) => [s, i])) as Record<Signal, number>;

/** Signals every request scores (when weighted); the others need something in the request. */
const ALWAYS = ["track_record", "tier", "retention", "tool_usage", "reviews", "capacity"] as const;

/** What the Matcher derives from the catalog and policy once, shared by every ranking module. */
export interface MatchContext {
  readonly catalog: Catalog;
  readonly policy: MarketPolicy;
  readonly m: MatchPolicy;
  readonly layout: Layout;
  /** The policy's weight per signal, in SIGNALS order. */
  readonly weights: Float64Array;
}

/** A market's qualified conditions with the tier as a rank (an unknown tier ranks 0). */
export interface QualifiedPlan {
  minTierRank: number;
  minTrackRecord: number;
  minRetention: number;
  /** Catalog tiers ranked at least `minTierRank`, for the backend's pre-filter. */
  tiers: string[];
}

export function qualifiedPlan(ctx: MatchContext, country: string): QualifiedPlan {
  const q = qualifiedConditions(ctx.m, ctx.catalog, country);
  const minTierRank = ctx.catalog.tierRank[q.minTier] ?? 0;
  return {
    minTierRank,
    minTrackRecord: q.minTrackRecord,
    minRetention: q.minRetention,
    tiers: Object.keys(ctx.catalog.tierRank).filter(
      (t) => (ctx.catalog.tierRank[t] as number) >= minTierRank,
    ),
  };
}

export function matchContext(catalog: Catalog, policy: MarketPolicy): MatchContext {
  const m = policy.data.match;
  return {
    catalog,
    policy,
    m,
    layout: buildLayout(catalog),
    weights: Float64Array.from(SIGNALS.map((s) => m.weights[s])),
  };
}

export interface GroupPlan {
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

export interface AccreditationNeed {
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
  /** The market's conditions for a partner without an accreditation offered there. */
  qualified: QualifiedPlan;
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
export interface Bound {
  plan: RequestPlan;
  block: MarketBlock;
  /** Row of the partner of record in this block, or -1. */
  porRow: number;
  /** Per plan language: 1 for each row that speaks it. */
  speaks: Uint8Array[];
}

export function bind(plan: RequestPlan, block: MarketBlock): Bound {
  return {
    plan,
    block,
    porRow: plan.partnerOfRecord ? block.rowOfId(plan.partnerOfRecord) : -1,
    speaks: plan.languages.map((l) => block.speaks(l)),
  };
}

/**
 * The backend's pre-filters for a request: capacity, and "holds an accreditation offered in
 * the market, or meets the tier and retention conditions of `qualified`" (only the first
 * when the motion requires an accreditation the market offers). Each is implied by the hard
 * rules (failedRule), so the filtered list is a superset of the eligible partners; track
 * record and language stay with the ranking (languages: so every language variant of a
 * request shares the market's block); the backend only counts the languages, for coverage.
 */
export function candidateQuery(ctx: MatchContext, request: MatchRequest): CandidateQuery {
  const country = request.customer.country;
  const { offered } = offeredAccreditations(ctx.catalog, ctx.policy.accreditationOffered, country);
  const requireAccreditation = motionRequiresAccreditation(
    ctx.m,
    request.motion,
    offered.length > 0,
  );
  const q = qualifiedPlan(ctx, country);
  const languages = [...new Set(request.customer.languages ?? [])].sort();
  return {
    country,
    programLevels: ctx.catalog.referralLevels,
    ...(languages.length > 0 ? { countLanguages: languages } : {}),
    withCapacity: true,
    eligibleIf: {
      accreditationsAny: offered,
      ...(requireAccreditation
        ? {}
        : {
            qualified: {
              // Every tier when the minimum is rank 0 (an unknown tier ranks 0 as well).
              ...(q.minTierRank > 0 ? { tiersAny: q.tiers } : {}),
              minRetention: q.minRetention,
            },
          }),
    },
  };
}

/** Compiles a request; `now` picks the rotation day. */
export function compilePlan(ctx: MatchContext, request: MatchRequest, now: Date): RequestPlan {
  const c = request.customer;
  const L = ctx.layout;
  const { offered, notOffered } = offeredAccreditations(
    ctx.catalog,
    ctx.policy.accreditationOffered,
    c.country,
  );
  let offeredMask = 0;
  for (const code of offered) offeredMask |= 1 << (L.accreditationBit.get(code) as number);
  const groups: GroupPlan[] = [];
  const fitScope = ctx.m.fit;
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
    if (dims.length === 0 || ctx.weights[S[group]] === 0) return;
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
    const credit = ctx.m.features.adjacentSizeCredit;
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
  if (languages.length > 0 && ctx.weights[S.languages] !== 0) {
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
  if (c.location && ctx.weights[S.proximity] !== 0) {
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
  for (let i = 0; i < SIGNALS.length; i++) if (ctx.weights[i] === 0) applies[i] = 0;

  const anyOffered = offeredMask !== 0;
  const weights = ctx.weights;
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
    qualified: qualifiedPlan(ctx, c.country),
    requireAccreditation: motionRequiresAccreditation(ctx.m, request.motion, anyOffered),
    ...(location ? { location } : {}),
    ...(c.partnerOfRecord ? { partnerOfRecord: c.partnerOfRecord } : {}),
    applies,
    weights,
    dynamicMax,
    costlyMax,
    seed: rotationSeed(seedOf(request), now),
  };
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
