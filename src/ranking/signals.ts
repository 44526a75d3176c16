// The fit score's signals for one candidate row: each value in 0..1 before weighting, written
// into a vector indexed like SIGNALS. They are split by cost so that the ranking can stop
// early (upper-bound pruning): request-independent ones are summed once per block, column
// reads next, vector similarities and distances last. The reasons read the very same values,
// so an explanation can never drift from the score it explains.
import { similarity } from "ml-distance";
import { SIGNALS } from "../catalog/match-policy.js";
import { kmFromChord2 } from "./geo.js";
import { type MarketBlock, saturate } from "./match-features.js";
import {
  type AccreditationNeed,
  type Bound,
  type GroupPlan,
  type MatchContext,
  type RequestPlan,
  S,
} from "./match-plan.js";

const cosine = similarity.cosine;

/** Writes every signal's value into `out` (0 where a signal does not apply). */
export function fillSignals(ctx: MatchContext, x: Bound, r: number, out: Float64Array): void {
  out.fill(0);
  fillStatic(ctx, x.block, r, out);
  fillDynamic(ctx, x, r, out);
  fillCostly(ctx, x, r, out);
}

/**
 * Signals that do not depend on the request; their weighted sum is kept per block (see
 * staticScores). Each fill* writes its signals' values and returns their weighted sum.
 */
export function fillStatic(
  ctx: MatchContext,
  b: MarketBlock,
  r: number,
  out: Float64Array,
): number {
  const w = ctx.weights;
  const max = ctx.catalog.maxTierRank;
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
export function fillDynamic(ctx: MatchContext, x: Bound, r: number, out: Float64Array): number {
  const { plan, block: b } = x;
  const w = ctx.weights;
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
  const rec = record(ctx, b, r, plan);
  out[S.track_record] = rec;
  return sum + (w[S.track_record] as number) * rec;
}

/** The similarity and distance signals: the costly part, each at most 1. */
export function fillCostly(ctx: MatchContext, x: Bound, r: number, out: Float64Array): number {
  const { plan, block: b } = x;
  const w = ctx.weights;
  let sum = 0;
  for (let gi = 0; gi < plan.groups.length; gi++) {
    const g = plan.groups[gi] as GroupPlan;
    const v = groupSimilarity(x, r, g);
    out[g.signal] = v;
    sum += (w[g.signal] as number) * v;
  }
  if (plan.location) {
    const km = nearestKm(b, r, plan.location);
    const v = km === undefined ? 0 : Math.exp(-km / ctx.m.features.decayKm);
    out[S.proximity] = v;
    sum += (w[S.proximity] as number) * v;
  }
  return sum;
}

/**
 * Weighted sum of the request-independent signals per row, computed once per block and kept
 * in `cache` for as long as the block lives.
 */
export function staticScores(
  ctx: MatchContext,
  cache: WeakMap<MarketBlock, Float64Array>,
  b: MarketBlock,
): Float64Array {
  let col = cache.get(b);
  if (!col) {
    col = new Float64Array(b.n);
    const out = new Float64Array(SIGNALS.length);
    for (let r = 0; r < b.n; r++) col[r] = fillStatic(ctx, b, r, out);
    cache.set(b, col);
  }
  return col;
}

/** Projects the partner onto the requested dimensions (+ rest) and asks ml-distance. */
function groupSimilarity(x: Bound, r: number, g: GroupPlan): number {
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

/** Saturated customer counts, averaged within each requested group, then over the groups. */
function record(ctx: MatchContext, b: MarketBlock, r: number, plan: RequestPlan): number {
  const h = ctx.m.features.recordHalfSaturation;
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

/** Distance to the partner's nearest office with coordinates; undefined when it has none. */
export function nearestKm(b: MarketBlock, r: number, at: Float64Array): number | undefined {
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
