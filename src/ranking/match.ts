// The partner finder's ranking, as pure code: hard eligibility, a fit score built from feature
// vectors compared with ml-distance similarities plus business signals, a deterministic
// tie rotation, and per-signal reasons whose contributions add up to the score. Everything
// tunable comes from the match policy (catalog/match-policy.ts); nothing here does I/O.
//
// This module is the public face (the Matcher and the types callers use) and the ranking loop
// that ties the parts together, each in its own module so it can be read and changed alone:
//   match-plan.ts   a request compiled into numbers, and the backend's pre-filter query
//   eligibility.ts  the hard rules, by name
//   signals.ts      each signal's value for a row, from the per-market columns (match-features.ts)
//   pruning.ts      skipping a partner as soon as an upper bound of its score misses the page
//   (the other concerns still below, moving out one at a time)
import type { Catalog } from "../catalog/catalog.js";
import { type Motion, rankingVersionOf, SIGNALS, type Signal } from "../catalog/match-policy.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { Profile } from "../partner/schema.js";
import type { CandidateQuery } from "../search/backend.js";
import { accredited, failedRule, type HardRule } from "./eligibility.js";
import { BlockCache, type Layout, type MarketBlock } from "./match-features.js";
import {
  type Bound,
  bind,
  candidateQuery,
  compilePlan,
  type MatchContext,
  matchContext,
  type RequestPlan,
} from "./match-plan.js";
import { ScoreFloor, score } from "./pruning.js";
import { orderWithRotation, type Scored, tieKey } from "./rotation.js";
import { fillSignals, nearestKm, staticScores } from "./signals.js";

export { HARD_RULES, type HardRule } from "./eligibility.js";
export type { RequestPlan } from "./match-plan.js";

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

export class Matcher {
  readonly rankingVersion: string;
  readonly layout: Layout;
  readonly blocks: BlockCache;
  private readonly ctx: MatchContext;
  /** Static scores per block (signals.ts staticScores), dropped with the block. */
  private readonly statics = new WeakMap<MarketBlock, Float64Array>();
  /** Reused across requests: one score per row of the largest block seen. */
  private scores = new Float64Array(0);
  /** Scratch for the signal values of the row being scored. */
  private readonly signals = new Float64Array(SIGNALS.length);

  constructor(catalog: Catalog, policy: MarketPolicy) {
    this.ctx = matchContext(catalog, policy);
    this.rankingVersion = rankingVersionOf(this.ctx.m);
    this.layout = this.ctx.layout;
    this.blocks = new BlockCache(catalog, this.layout, this.ctx.m);
  }

  /** The backend's pre-filters for a request (see match-plan.ts). */
  candidateQuery(request: MatchRequest): CandidateQuery {
    return candidateQuery(this.ctx, request);
  }

  /** Compiles a request; `now` picks the rotation day. */
  plan(request: MatchRequest, now: Date): RequestPlan {
    return compilePlan(this.ctx, request, now);
  }

  /** The hard rule a profile fails for this request, or undefined when it is eligible. */
  check(p: Profile, plan: RequestPlan): HardRule | undefined {
    return failedRule(this.ctx, bind(plan, this.blocks.build([p], plan.country)), 0);
  }

  /**
   * Ranks `profiles` (the backend's coarse pre-filter for the market) for one request. Every
   * hard rule is applied here again; only the best `limit` are explained.
   */
  rank(profiles: readonly Profile[], request: MatchRequest, now: Date): MatchOutcome {
    const ctx = this.ctx;
    const plan = compilePlan(ctx, request, now);
    const block = this.blocks.get(profiles, plan.country);
    const x = bind(plan, block);
    const n = block.n;
    if (this.scores.length < n) this.scores = new Float64Array(Math.max(n, this.scores.length * 2));
    const scores = this.scores;
    const signals = this.signals;
    const floor = new ScoreFloor(request.limit);
    const statics = staticScores(ctx, this.statics, block);
    const eps = ctx.m.tieEpsilon;
    let eligible = 0;
    for (let r = 0; r < n; r++) {
      if (failedRule(ctx, x, r) !== undefined) {
        scores[r] = Number.NEGATIVE_INFINITY;
        continue;
      }
      eligible++;
      const atLeast = floor.full() ? floor.min() - eps : Number.NEGATIVE_INFINITY;
      const s = score(ctx, x, r, statics[r] as number, atLeast, signals);
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
    const ordered = orderWithRotation(pool, eps).slice(0, request.limit);
    return {
      market: plan.country,
      rankingVersion: this.rankingVersion,
      considered: n,
      eligible,
      accreditationsNotOffered: plan.notOffered,
      candidates: ordered.map((o, i) => explain(ctx, x, o.row, i + 1)),
    };
  }
}

/** Contributions are whole millionths, so the reasons add up to the score exactly. */
const UNIT = 1_000_000;

/** Score and reasons of one eligible row; the contributions add up to the score. */
function explain(ctx: MatchContext, x: Bound, r: number, rank: number): RankedCandidate {
  const { plan, block } = x;
  const p = block.profiles[r] as Profile;
  const out = new Float64Array(SIGNALS.length);
  fillSignals(ctx, x, r, out);
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
      detail: detail(ctx, signal, x, r, out[i] as number),
      contribution: u / UNIT,
    });
  }
  return {
    rank,
    score: units / UNIT,
    eligibility: accredited(x, r) ? "accredited" : "qualified",
    profile: p,
    reasons,
  };
}

/** The human-readable side of one reason: what the partner offers against what was asked. */
function detail(ctx: MatchContext, signal: Signal, x: Bound, r: number, value: number): string {
  const { plan, block: b } = x;
  const p = b.profiles[r] as Profile;
  const label = ctx.catalog.label;
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
        .filter((code) => ctx.policy.accreditationOffered(code, plan.country));
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
      return `${label("tier", p.tier)} (tier ${b.tierRank[r]} of ${ctx.catalog.maxTierRank})`;
    case "retention":
      return `retains ${pct(p.internal.retention)} of managed customers`;
    case "tool_usage":
      return `tool-usage index ${p.internal.toolUsageIndex} (full credit at ${ctx.m.features.toolUsageTarget})`;
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

function declaredAnd(declared: boolean, count: number | undefined): string {
  return `${declared ? "declared" : "not declared"}, ${count ?? 0} customers`;
}
