// Retrieve-and-rerank for an engine that cannot hold a whole market in memory: a first-stage
// score an engine computes from indexed numbers and term matches, without scripts, whose best K
// partners the exact ranking (match.ts) then ranks. Both halves are stated here, in ranking
// terms, so that a weight or a feature changes in one place: the per-partner numbers an engine
// indexes (finderFeatures, read off the very MarketBlock columns the ranking scores) and, per
// request, which of them to add with which weight (retrievalPlan, from the policy's weights).
// A backend only translates the plan into its query language.
//
// The first-stage score equals the fit score up to float rounding for every signal but two:
// request-scope groups whose values are not 0/1 (none in the shipped policy) are approximated,
// and the tie rotation is left to the rerank. So the top K hold the true page whenever K is
// larger than the partners within rounding of the page's last score.
import type { Catalog } from "../catalog/catalog.js";
import { SIGNALS } from "../catalog/match-policy.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Profile } from "../partner/schema.js";
import type { RetrievalPlan } from "./candidates.js";
import {
  FIT_GROUPS,
  type FitGroup,
  MarketBlock,
  type RecordGroup,
  saturate,
} from "./match-features.js";
import { compilePlan, type MatchContext, matchContext, S } from "./match-plan.js";
import type { MatchRequest } from "./match-types.js";
import { fillStatic } from "./signals.js";

/** The request-independent signals, indexed as their values (fillStatic). */
const STATIC = ["tier", "retention", "tool_usage", "reviews", "capacity"] as const;

/** Fit groups that carry track-record counts (the first three of FIT_GROUPS). */
const RECORD_GROUPS: readonly RecordGroup[] = ["products", "industry", "company_size"];

/** Name of the indexed feature: a partner's share of its fit vector for one code. */
export const fitFeature = (g: FitGroup, code: string) => `fit__${g}__${code}`;
/** Name of the indexed feature: a partner's saturated track record for one code. */
export const recordFeature = (g: RecordGroup, code: string) => `trs__${g}__${code}`;
/** Saturated track record over every product (the signal when the request names none). */
export const RECORD_TOTAL = "trs__total";
/** Raw customer count over every product, for the qualified rule's threshold (exact). */
export const PRODUCT_RECORD = "record__total";

/**
 * A partner's first-stage numbers, all positive (absent: 0), keyed by feature name. Read off a
 * MarketBlock so they are the very values the ranking scores.
 */
export function finderFeatures(p: Profile, ctx: MatchContext): Record<string, number> {
  return finderFeaturesOf([p], ctx)[0] as Record<string, number>;
}

/**
 * finderFeatures of many partners, read off one block: a block per partner allocates some
 * twenty typed arrays, which was the larger part of an indexer's cost of the features.
 */
export function finderFeaturesOf(
  profiles: readonly Profile[],
  ctx: MatchContext,
): Record<string, number>[] {
  const b = new MarketBlock(profiles, "", ctx.catalog, ctx.layout, ctx.m);
  const n = b.n;
  const L = ctx.layout;
  const names = featureNames(ctx);
  const h = ctx.m.features.recordHalfSaturation;
  const signals = new Float64Array(SIGNALS.length);
  const rows: Record<string, number>[] = [];
  for (let r = 0; r < n; r++) {
    const out: Record<string, number> = {};
    const put = (k: string, v: number) => {
      if (v > 0 && Number.isFinite(v)) out[k] = v;
    };
    fillStatic(ctx, b, r, signals);
    for (const s of STATIC) put(s, signals[S[s]] as number);
    for (let gi = 0; gi < FIT_GROUPS.length; gi++) {
      const g = FIT_GROUPS[gi] as FitGroup;
      // A profile-scope cosine divides by the partner's whole norm: a code's share of it is a
      // number per partner, and the similarity the weighted sum of the requested shares.
      const norm = Math.sqrt(b.norm2[gi * n + r] as number);
      if (norm === 0) continue;
      const at = L.fitAt[g];
      const fit = names.fit[gi] as string[];
      for (let d = 0; d < fit.length; d++) {
        const v = b.fit[(at + d) * n + r] as number;
        if (v > 0) put(fit[d] as string, v / norm);
      }
    }
    for (let gi = 0; gi < RECORD_GROUPS.length; gi++) {
      const at = L.recAt[RECORD_GROUPS[gi] as RecordGroup];
      const rec = names.record[gi] as string[];
      for (let d = 0; d < rec.length; d++) {
        const c = b.counts[(at + d) * n + r] as number;
        if (c > 0) put(rec[d] as string, saturate(c, h));
      }
    }
    const total = b.totalProductRecord[r] as number;
    put(RECORD_TOTAL, saturate(total, h));
    put(PRODUCT_RECORD, total);
    rows.push(out);
  }
  return rows;
}

/** Every feature name per group and code, made once per context (indexing asks per profile). */
const names = new WeakMap<MatchContext, { fit: string[][]; record: string[][] }>();
function featureNames(ctx: MatchContext): { fit: string[][]; record: string[][] } {
  let n = names.get(ctx);
  if (!n) {
    const codes = ctx.layout.codes;
    n = {
      fit: FIT_GROUPS.map((g) => codes[g].map((code) => fitFeature(g, code))),
      record: RECORD_GROUPS.map((g) => codes[g].map((code) => recordFeature(g, code))),
    };
    names.set(ctx, n);
  }
  return n;
}

/** The ranking's context per catalog and policy, so indexing builds it once. */
const contexts = new WeakMap<MarketPolicy, MatchContext>();
export function featureContext(catalog: Catalog, policy: MarketPolicy): MatchContext {
  let ctx = contexts.get(policy);
  if (!ctx || ctx.catalog !== catalog) {
    ctx = matchContext(catalog, policy);
    contexts.set(policy, ctx);
  }
  return ctx;
}

/** The plan for a request, with the policy's weights as compiled for the ranking. */
export function retrievalPlan(ctx: MatchContext, request: MatchRequest): RetrievalPlan {
  const plan = compilePlan(ctx, request, new Date(0));
  const w = ctx.weights;
  const weight = (s: (typeof STATIC)[number] | "track_record") => w[S[s]] as number;
  const features: RetrievalPlan["features"] = [];
  const terms: RetrievalPlan["terms"] = [];
  const counted: RetrievalPlan["counted"] = [];
  for (const s of STATIC) if (weight(s) > 0) features.push({ name: s, weight: weight(s) });

  const c = request.customer;
  if (c.partnerOfRecord && (w[S.partner_of_record] as number) > 0) {
    terms.push({
      field: "id",
      codes: [c.partnerOfRecord],
      weight: w[S.partner_of_record] as number,
    });
  }
  const needs = plan.accreditationNeeds;
  for (const need of needs) {
    // As fillDynamic: an accreditation not offered here counts as its same-named service.
    if (!need.offered && need.serviceDim < 0) continue;
    terms.push({
      field: need.offered ? "accreditations" : "services",
      codes: [need.code],
      weight: (w[S.accreditation_match] as number) / needs.length,
    });
  }
  if (plan.anyOffered && (w[S.accredited] as number) > 0) {
    const offered = ctx.catalog.lists.accreditation.filter(
      (a) => (plan.offeredMask & (1 << (ctx.layout.accreditationBit.get(a) as number))) !== 0,
    );
    terms.push({ field: "accreditations", codes: offered, weight: w[S.accredited] as number });
  }

  for (const g of plan.groups) {
    const gw = w[g.signal] as number;
    const k = g.codes.length;
    if (g.profileScope && g.group !== "languages") {
      let q2 = 0;
      for (let i = 0; i < k; i++) q2 += (g.q[i] as number) ** 2;
      const qn = Math.sqrt(q2);
      g.codes.forEach((code, i) => {
        features.push({
          name: fitFeature(g.group as FitGroup, code),
          weight: (gw * (g.q[i] as number)) / qn,
        });
      });
    } else {
      // Request scope over 0/1 values and a uniform request: exactly sqrt(matched / k).
      const steps = Array.from(
        { length: k },
        (_, j) => gw * (Math.sqrt((j + 1) / k) - Math.sqrt(j / k)),
      );
      counted.push({ field: g.group, codes: [...g.codes], steps });
    }
  }

  const tr = weight("track_record");
  if (tr > 0) {
    const groups = recordCodes(ctx, request);
    if (groups.length === 0) features.push({ name: RECORD_TOTAL, weight: tr });
    for (const { group, codes } of groups) {
      for (const code of codes) {
        features.push({
          name: recordFeature(group, code),
          weight: tr / groups.length / codes.length,
        });
      }
    }
  }

  const out: RetrievalPlan = {
    features,
    terms,
    counted,
    languagesAny: plan.languages,
    page: { limit: request.limit, window: ctx.m.tieEpsilon + ROUNDING },
  };
  if (c.location && plan.location) {
    out.near = { ...c.location, decayKm: ctx.m.features.decayKm, weight: w[S.proximity] as number };
  }
  const q = plan.qualified;
  if (q.minTrackRecord > 0 || q.minRetention > 0) {
    out.qualified = {
      minRetention: q.minRetention,
      minRecord: q.minTrackRecord,
      records: [
        ...known(ctx, "products", c.products ?? []),
        ...known(ctx, "industry", c.industry ? [c.industry] : []),
      ].map(([group, code]) => ({ group, code })),
    };
  }
  return out;
}

/**
 * How far an engine's first-stage score may stray from the exact one: engines score in 32-bit
 * floats (a relative error of ~6e-8 on scores of a few units), far inside this margin.
 */
const ROUNDING = 1e-4;

/**
 * The first-stage score a deeper read must reach when the best K cut into the page's tie group,
 * or undefined when they hold the page: a partner within `page.window` of the limit-th score
 * may rotate into the page, so when the K-th score is still inside that window the partners
 * just below K may belong to the page too. `scores`: those returned, best first, at most `k`
 * (fewer: every eligible partner was returned). `k` must be at least the page's limit.
 */
export function deeperBar(
  scores: readonly number[],
  k: number,
  plan: RetrievalPlan,
): number | undefined {
  const last = scores[k - 1];
  const atLimit = scores[plan.page.limit - 1];
  if (last === undefined || atLimit === undefined) return undefined;
  const bar = atLimit - plan.page.window;
  return last >= bar ? bar : undefined;
}

/** The requested record codes per group, as plan.recordGroups holds them (catalog codes). */
function recordCodes(
  ctx: MatchContext,
  request: MatchRequest,
): { group: RecordGroup; codes: string[] }[] {
  const c = request.customer;
  const out: { group: RecordGroup; codes: string[] }[] = [];
  const add = (group: RecordGroup, codes: readonly string[]) =>
    out.push({ group, codes: known(ctx, group, codes).map(([, code]) => code) });
  if (c.products?.length) add("products", c.products);
  if (c.industry) add("industry", [c.industry]);
  if (c.companySize) add("company_size", [c.companySize]);
  return out;
}

function known(
  ctx: MatchContext,
  g: RecordGroup,
  codes: readonly string[],
): [RecordGroup, string][] {
  return [...new Set(codes)].filter((c) => ctx.layout.dim[g].has(c)).map((c) => [g, c]);
}
