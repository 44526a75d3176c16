// Gini coefficient of exposure counts: 0 when every partner is shown equally often, towards 1
// when a few partners take every slot. Used to check that tie rotation spreads exposure.
export function gini(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (v < 0) throw new RangeError("gini needs non-negative values");
    total += v;
    weighted += (i + 1) * v;
  }
  if (total === 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
