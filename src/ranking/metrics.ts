// Offline ranking-quality metrics over graded judgments (0..3), as pure functions: nDCG@k with
// exponential gain, reciprocal rank and precision@k. An id without a judgment counts as grade 0,
// the usual convention for pooled judgments (the pool is built from several systems so that
// what any of them ranks high has been judged).

export type Grades = ReadonlyMap<string, number>;

/** Grade at and above which a result counts as relevant for MRR and precision. */
export const RELEVANT_GRADE = 2;

const gain = (g: number) => 2 ** g - 1;
const discount = (i: number) => 1 / Math.log2(i + 2);

export function dcgAt(grades: readonly number[], k: number): number {
  let s = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++) s += gain(grades[i] as number) * discount(i);
  return s;
}

/**
 * nDCG@k of a ranked list against all judged grades of the query. A query whose judgments hold
 * no positive grade has no ideal ranking: NaN, so callers leave it out of averages.
 */
export function ndcgAt(ranked: readonly string[], judged: Grades, k: number): number {
  const ideal = [...judged.values()].sort((a, b) => b - a);
  const idcg = dcgAt(ideal, k);
  if (idcg === 0) return Number.NaN;
  return dcgAt(gradesOf(ranked, judged), k) / idcg;
}

/** 1 / rank of the first relevant result; 0 when none is in the list. */
export function reciprocalRank(
  ranked: readonly string[],
  judged: Grades,
  minGrade = RELEVANT_GRADE,
): number {
  const i = ranked.findIndex((id) => (judged.get(id) ?? 0) >= minGrade);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Share of the first k results that are relevant (a short list counts its gaps as misses). */
export function precisionAt(
  ranked: readonly string[],
  judged: Grades,
  k: number,
  minGrade = RELEVANT_GRADE,
): number {
  let hits = 0;
  for (const id of ranked.slice(0, k)) if ((judged.get(id) ?? 0) >= minGrade) hits++;
  return hits / k;
}

/** Share of the first k results that carry a judgment (how far the pool covers a ranking). */
export function judgedAt(ranked: readonly string[], judged: Grades, k: number): number {
  const top = ranked.slice(0, k);
  return top.length === 0 ? 1 : top.filter((id) => judged.has(id)).length / top.length;
}

export function gradesOf(ranked: readonly string[], judged: Grades): number[] {
  return ranked.map((id) => judged.get(id) ?? 0);
}

/** Mean of the finite values; NaN when there are none. */
export function mean(xs: readonly number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length === 0 ? Number.NaN : f.reduce((a, b) => a + b, 0) / f.length;
}
