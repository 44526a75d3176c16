// The directory's text-matching rule, stated once for every backend: a partner matches a query
// when every word matches its text (exactly, as a prefix for the last word typed, within one
// edit for words of ONE_EDIT_MIN_LENGTH or more). When nobody matches every word, the answer
// drops the fewest words needed; which ones is decided here from counts the backend supplies.
import type { QueryToken } from "./tokenize.js";

/**
 * True when `a` and `b` are at most one edit apart: one insertion, deletion, substitution or
 * swap of two adjacent characters (Damerau-Levenshtein, as Lucene's fuzzy query with
 * transpositions counts it), over code points.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    if (eq(x, i + 1, y, i + 1)) return true; // substitution
    return x[i] === y[i + 1] && x[i + 1] === y[i] && eq(x, i + 2, y, i + 2); // swap
  }
  return x.length > y.length ? eq(x, i + 1, y, i) : eq(x, i, y, i + 1);
}

function eq(x: string[], i: number, y: string[], j: number): boolean {
  if (x.length - i !== y.length - j) return false;
  for (; i < x.length; i++, j++) if (x[i] !== y[j]) return false;
  return true;
}

/** How an indexed term satisfies a query token, if it does (the reference for every backend). */
export function tokenMatch(token: QueryToken, term: string): "exact" | "loose" | undefined {
  if (term === token.term) return "exact";
  if (token.prefix && term.startsWith(token.term)) return "loose";
  if (token.fuzzy && withinOneEdit(token.term, term)) return "loose";
  return undefined;
}

/**
 * The word subsets a relaxed search tries, level by level: first every way of dropping one
 * word, then two, and so on (never all). Each subset lists the kept word indexes ascending, and
 * a level lists its subsets in lexicographic order, so the earliest typed words are kept first.
 * Stops once `maxCombinations` subsets are listed: a long query with nothing in common with the
 * directory is not searched combination by combination.
 */
export function* relaxationLevels(n: number, maxCombinations: number): Generator<number[][]> {
  let listed = 0;
  for (let keep = n - 1; keep >= 1; keep--) {
    const level: number[][] = [];
    for (const c of combinations(n, keep)) {
      if (listed++ >= maxCombinations) {
        if (level.length > 0) yield level;
        return;
      }
      level.push(c);
    }
    yield level;
  }
}

function* combinations(n: number, k: number): Generator<number[]> {
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield [...c];
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i] = (c[i] as number) + 1;
    for (let j = i + 1; j < k; j++) c[j] = (c[j - 1] as number) + 1;
  }
}

/**
 * The subset of a level to search with: the most matching partners, ties to the earlier subset
 * (the one keeping earlier words); none when no subset matches anybody.
 */
export function pickRelaxation(level: number[][], counts: readonly number[]): number[] | undefined {
  let best = -1;
  for (let i = 0; i < level.length; i++) {
    if ((counts[i] as number) > 0 && (best < 0 || (counts[i] as number) > (counts[best] as number)))
      best = i;
  }
  return best < 0 ? undefined : level[best];
}

/** Runs the levels against a counter until one matches somebody: the kept word indexes. */
export function chooseRelaxation(
  n: number,
  maxCombinations: number,
  countLevel: (level: number[][]) => number[],
): number[] | undefined {
  for (const level of relaxationLevels(n, maxCombinations)) {
    const kept = pickRelaxation(level, countLevel(level));
    if (kept) return kept;
  }
  return undefined;
}
