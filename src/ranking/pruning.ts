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

/** The `k` largest scores seen so far (a min-heap), to know the page's lowest score. */
export class ScoreFloor {
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
