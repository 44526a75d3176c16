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
//   explain.ts      the reasons and their text, for the page only
import type { Catalog } from "../catalog/catalog.js";
import { rankingVersionOf, SIGNALS } from "../catalog/match-policy.js";
import type { MarketPolicy } from "../catalog/policy.js";
import { TopK } from "../lib/top-k.js";
import type { Profile } from "../partner/schema.js";
import type { CandidateQuery } from "./candidates.js";
import { failedRule, HARD_RULES, type HardRule } from "./eligibility.js";
import { explain } from "./explain.js";
import { BlockCache, type Layout, type MarketBlock } from "./match-features.js";
import {
  bind,
  candidateQuery,
  compilePlan,
  type MatchContext,
  matchContext,
  type RequestPlan,
} from "./match-plan.js";
import type { MatchOutcome, MatchRequest } from "./match-types.js";
import { score } from "./pruning.js";
import { retrievalPlan } from "./retrieval.js";
import { orderWithRotation, type Scored, tieKey } from "./rotation.js";
import { staticScores } from "./signals.js";
import { type TeamScan, teamScan } from "./team-scan.js";

export { HARD_RULES, type HardRule } from "./eligibility.js";
export type { RequestPlan } from "./match-plan.js";
export type {
  Eligibility,
  MatchCustomer,
  MatchOutcome,
  MatchRequest,
  RankedCandidate,
  Reason,
} from "./match-types.js";

export class Matcher {
  readonly rankingVersion: string;
  readonly layout: Layout;
  readonly blocks: BlockCache;
  private readonly ctx: MatchContext;
  /** Static scores per block (signals.ts staticScores), dropped with the block. */
  private readonly statics = new WeakMap<MarketBlock, Float64Array>();
  /** One score per row, kept across requests so that ranking a market allocates no array. */
  private scores = new Float64Array(0);
  /** Scratch for the signal values of the row being scored, for the same reason. */
  private readonly signals = new Float64Array(SIGNALS.length);

  constructor(catalog: Catalog, policy: MarketPolicy) {
    this.ctx = matchContext(catalog, policy);
    this.rankingVersion = rankingVersionOf(this.ctx.m);
    this.layout = this.ctx.layout;
    this.blocks = new BlockCache(catalog, this.layout, this.ctx.m);
  }

  /** The backend's pre-filters for a request (see match-plan.ts). */
  candidateQuery(request: MatchRequest): CandidateQuery {
    return { ...candidateQuery(this.ctx, request), retrieval: retrievalPlan(this.ctx, request) };
  }

  /** Compiles a request; `now` picks the rotation day. */
  plan(request: MatchRequest, now: Date): RequestPlan {
    return compilePlan(this.ctx, request, now);
  }

  /** The hard rule a profile fails for this request, or undefined when it is eligible. */
  check(p: Profile, plan: RequestPlan): HardRule | undefined {
    return failedRule(bind(plan, this.blocks.build([p], plan.country)), 0);
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
    // The page's best scores so far: its lowest is the bar a partner must be able to reach.
    const floor = new TopK(request.limit);
    const statics = staticScores(ctx, this.statics, block);
    const eps = ctx.m.tieEpsilon;
    let eligible = 0;
    const failed = Object.fromEntries(HARD_RULES.map((h) => [h, 0])) as Record<HardRule, number>;
    // Teams (several needs): the best need-covering rows, scored exactly whatever the page's bar.
    const team = teamScan(request, ctx.policy.data.finder.teams.poolSize);
    for (let r = 0; r < n; r++) {
      const rule = failedRule(x, r);
      if (rule !== undefined) {
        failed[rule]++;
        scores[r] = Number.NEGATIVE_INFINITY;
        continue;
      }
      eligible++;
      let atLeast = floor.full() ? floor.worstKey() - eps : Number.NEGATIVE_INFINITY;
      const covering = team ? team.covering(block.profiles[r] as Profile) : false;
      if (covering) atLeast = Math.min(atLeast, (team as TeamScan).bar());
      const s = score(ctx, x, r, statics[r] as number, atLeast, signals);
      scores[r] = s;
      if (s !== Number.NEGATIVE_INFINITY) {
        floor.push(r, s, 0);
        if (covering) (team as TeamScan).pool.push(r, s, r);
      }
    }
    // Everything within epsilon of the limit-th score may rotate into the page.
    const cut = floor.full() ? floor.worstKey() - eps : Number.NEGATIVE_INFINITY;
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
      failedRules: failed,
      ...(team ? { teams: team.teams(block, scores, ctx.policy.data.finder.teams) } : {}),
    };
  }
}
