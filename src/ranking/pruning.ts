// Upper-bound pruning for the ranking's hot loop. Only a page of candidates (limit) is shown,
// so a partner whose best possible score cannot reach the page's current lowest score need not
// be scored in full: most of a market is dismissed from its precomputed static score, and the
// costly similarities are computed only for the few that might still make the page.
import type { Bound, MatchContext } from "./match-plan.js";
import { fillCostly, fillDynamic } from "./signals.js";

/**
 * The score of an eligible row, or -Infinity as soon as an upper bound shows it cannot reach
 * `atLeast`. The partner of record is always scored in full: it ranks first when eligible.
 * `out` is scratch for the signal values.
 */
export function score(
  ctx: MatchContext,
  x: Bound,
  r: number,
  staticScore: number,
  atLeast: number,
  out: Float64Array,
): number {
  const plan = x.plan;
  const por = r === x.porRow;
  if (!por && staticScore + plan.dynamicMax + plan.costlyMax < atLeast) {
    return Number.NEGATIVE_INFINITY;
  }
  const cheap = staticScore + fillDynamic(ctx, x, r, out);
  if (!por && cheap + plan.costlyMax < atLeast) return Number.NEGATIVE_INFINITY;
  return cheap + fillCostly(ctx, x, r, out);
}
