// The ranking loop's side of teams (teams.ts): while a market is ranked, it notes whether some
// eligible partner covers every need and keeps the best `poolSize` eligible partners covering
// at least one, with exact scores (the loop lowers its pruning bar for them), so that teams
// are formed from the same candidates and scores the page comes from.
import type { MarketPolicyData } from "../catalog/schema.js";
import { TopK } from "../lib/top-k.js";
import type { Profile } from "../partner/schema.js";
import type { MarketBlock } from "./match-features.js";
import type { MatchRequest } from "./match-types.js";
import { formTeams, type Team } from "./teams.js";

export interface TeamScan {
  /** Rows covering at least one need, by exact score (ties: lower row, i.e. id, first). */
  pool: TopK;
  /** Covers at least one need (call for eligible rows only: it notes a full cover). */
  covering(p: Profile): boolean;
  /** The score a covering row must reach to enter the pool. */
  bar(): number;
  teams(block: MarketBlock, scores: Float64Array, policy: TeamPolicyData): Team[];
}

type TeamPolicyData = MarketPolicyData["finder"]["teams"];

/** A scan for a request with two or more distinct needs; undefined otherwise. */
export function teamScan(request: MatchRequest, poolSize: number): TeamScan | undefined {
  const needs = [...new Set(request.customer.needs ?? [])];
  if (needs.length < 2) return undefined;
  const pool = new TopK(poolSize);
  let someoneCoversAll = false;
  return {
    pool,
    covering(p) {
      let covered = 0;
      for (const need of needs) if (p.services.includes(need)) covered++;
      if (covered === needs.length) someoneCoversAll = true;
      return covered > 0;
    },
    bar: () => (pool.full() ? pool.worstKey() : Number.NEGATIVE_INFINITY),
    teams(block, scores, policy) {
      if (someoneCoversAll) return [];
      const ranked = pool.sorted().map(({ item }) => {
        const p = block.profiles[item] as Profile;
        return { id: p.id, score: scores[item] as number, services: p.services };
      });
      return formTeams(needs, ranked, policy);
    },
  };
}
