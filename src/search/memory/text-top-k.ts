// Ranks text matches without scoring all of them. Which docs match (and so the total and the
// facets) comes from bitsets; a score is only needed for docs that can reach the page. With a
// relevance sort, groups (accredited first) are taken best first and a filled page stops the
// walk; inside a group, MaxScore over the score's clauses: a doc whose clauses' bounds cannot
// beat the page's worst is never scored. A non-relevance sort needs the page's scores only.
import { TopK } from "../../lib/top-k.js";
import { type DirectoryPlan, relevanceScore } from "../../ranking/directory.js";
import { andInto, type Bitset, hasBit } from "./bitset.js";
import type { BuiltIndex, StaticSort } from "./built-index.js";
import { denseAt, sparseAt } from "./postings.js";
import type { TextClause } from "./text-index.js";

/** Heap keys: relevance minus the doc's group times this (scores stay below 1e6). */
export const GROUP_SPAN = 1e9;

/**
 * Bounds are sums of floats taken in another order than the scores they bound; this margin
 * keeps rounding from making a bound smaller than the score it bounds.
 */
const SLACK = 1 + 1e-9;

export interface RankedHit {
  doc: number;
  score: number;
}

/** A doc's text score: scoreWords' sum, the same addends in the same order. */
export function scoreDoc(clauses: readonly TextClause[], d: number): number {
  let s = 0;
  for (const c of clauses) {
    // A clause's bits are its docs (a term's postings for BM25): the bit test spares the
    // postings lookup for a term the doc lacks.
    if (!hasBit(c.alt, d) || !hasBit(c.bits, d)) continue;
    const m = c.bm25;
    if (m) {
      const i = m.dense ? denseAt(m.dense, m.from, d) : sparseAt(m.postings, m.sl, d);
      const tf = m.postings.tfs[i] as number;
      s += (m.wt * tf) / (tf + m.norm0 + m.norm1 * (m.lengths[d] as number));
    } else {
      s += c.constant;
    }
  }
  return s;
}

/** The page of `matched` ordered by a sort without a relevance key: the order's docs in turn. */
export function pageInOrder(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  matched: Bitset,
  clauses: readonly TextClause[],
): RankedHit[] {
  const order = ix.orders[plan.sort as StaticSort];
  const hits: RankedHit[] = [];
  let skip = plan.from;
  for (let i = 0; i < order.length && hits.length < plan.size; i++) {
    const d = order[i] as number;
    if (!hasBit(matched, d)) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    const s = scoreDoc(clauses, d);
    hits.push({
      doc: d,
      score: relevanceScore(s, { staticBoost: ix.staticBoost[d] as number }, plan.weights),
    });
  }
  return hits;
}

/** The page of `matched` by relevance within groups (SORT_ORDERS), best group first. */
export function pageByRelevance(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  matched: Bitset,
  clauses: readonly TextClause[],
  groups: { bits: Bitset[]; maxBoost: Float64Array },
): RankedHit[] {
  const top = new TopK(plan.from + plan.size);
  const scoreOf = ix.scratchScores;
  const rest = ix.scratchBits.take();
  const wText = plan.weights.text;
  // Clauses by bound, largest first: docs in none of the first i can gain at most suffix[i].
  const bounds = clauses.map((c) => c.bound);
  const byBound = bounds
    .map((_, i) => i)
    .sort((a, b) => (bounds[b] as number) - (bounds[a] as number));
  const suffix = new Float64Array(byBound.length + 1);
  for (let i = byBound.length - 1; i >= 0; i--) {
    suffix[i] = (suffix[i + 1] as number) + (clauses[byBound[i] as number] as TextClause).bound;
  }
  for (let g = 0; g < groups.bits.length; g++) {
    andInto(rest, matched, groups.bits[g] as Bitset);
    const lowest = -g * GROUP_SPAN;
    const maxBoost = groups.maxBoost[g] as number;
    // The clause (in bound order) whose docs are being taken: a doc taken there is in none of
    // the clauses before it, or an earlier one would have taken it.
    let from = 0;
    const visit = (d: number) => {
      const boost = ix.staticBoost[d] as number;
      if (top.full()) {
        let bound = 0;
        for (let j = from; j < byBound.length; j++) {
          const c = clauses[byBound[j] as number] as TextClause;
          if (hasBit(c.bits, d) && hasBit(c.alt, d)) bound += c.bound;
        }
        if ((wText * bound + boost) * SLACK + lowest < top.worstKey()) return;
      }
      const s = scoreDoc(clauses, d);
      top.push(
        d,
        relevanceScore(s, { staticBoost: boost }, plan.weights) + lowest,
        ix.idRank[d] as number,
      );
      scoreOf[d] = s;
    };
    for (let i = 0; i < byBound.length; i++) {
      if (
        top.full() &&
        (wText * (suffix[i] as number) + maxBoost) * SLACK + lowest < top.worstKey()
      ) {
        break;
      }
      from = i;
      takeEach(rest, (clauses[byBound[i] as number] as TextClause).bits, visit);
    }
    // Every doc of a later group ranks below every doc of this one.
    if (top.full()) break;
  }
  return pageOfTop(ix, plan, top, scoreOf);
}

/** The requested page of a TopK over doc numbers, each with its relevance from its text score. */
export function pageOfTop(
  ix: BuiltIndex,
  plan: DirectoryPlan,
  top: TopK,
  scoreOf: ArrayLike<number>,
): RankedHit[] {
  return top
    .sorted()
    .slice(plan.from)
    .map(({ item }) => ({
      doc: item,
      score: relevanceScore(
        scoreOf[item] as number,
        { staticBoost: ix.staticBoost[item] as number },
        plan.weights,
      ),
    }));
}

/** Calls fn for each doc in both `rest` and `bits`, and takes them out of `rest`. */
function takeEach(rest: Bitset, bits: Bitset, fn: (d: number) => void): void {
  for (let w = 0; w < rest.length; w++) {
    let word = (rest[w] as number) & (bits[w] as number);
    if (word === 0) continue;
    rest[w] = (rest[w] as number) & ~word;
    while (word !== 0) {
      const t = word & -word;
      fn((w << 5) + (31 - Math.clz32(t)));
      word ^= t;
    }
  }
}
