// The embedded engine's facet index: a bitset per value of each filter field plus each doc's
// value ordinals, and the counting and OR-ing over them that filters and facets need.
import type { DirectoryDoc, FilterField } from "../../ranking/directory.js";
import {
  type Bitset,
  count,
  countAnd,
  forEachBit,
  newBitset,
  orInPlace,
  setBit,
} from "./bitset.js";

export interface FacetIndex {
  values: string[];
  bits: Bitset[];
  byValue: Map<string, Bitset>;
  /** Per doc, its value ordinals: ords[offsets[d] .. offsets[d+1]). */
  offsets: Int32Array;
  ords: Uint16Array;
}

/** Builds one field's value bitsets and per-doc ordinals, one doc at a time. */
export class FacetBuilder {
  private readonly byValue = new Map<string, Bitset>();
  private readonly ordOf = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly bits: Bitset[] = [];
  private readonly offsets: Int32Array;
  private readonly ords: number[] = [];

  constructor(
    readonly field: FilterField,
    private readonly n: number,
  ) {
    this.offsets = new Int32Array(n + 1);
  }

  add(d: number, facets: DirectoryDoc["facets"]): void {
    this.offsets[d] = this.ords.length;
    for (const v of facets[this.field]) {
      let o = this.ordOf.get(v);
      if (o === undefined) {
        o = this.values.length;
        this.ordOf.set(v, o);
        this.values.push(v);
        const b = newBitset(this.n);
        this.bits.push(b);
        this.byValue.set(v, b);
      }
      setBit(this.bits[o] as Bitset, d);
      this.ords.push(o);
    }
  }

  build(): FacetIndex {
    this.offsets[this.n] = this.ords.length;
    return {
      values: this.values,
      bits: this.bits,
      byValue: this.byValue,
      offsets: this.offsets,
      ords: Uint16Array.from(this.ords),
    };
  }
}

/** `out`, when given, must be empty. */
export function orOf(
  facet: FacetIndex,
  values: readonly string[],
  n: number,
  out: Bitset = newBitset(n),
): Bitset {
  return orOfMap(facet.byValue, values, n, out);
}

/** Docs holding any of `values`, from a bitset per value. */
export function orOfMap(
  byValue: ReadonlyMap<string, Bitset>,
  values: readonly string[],
  n: number,
  out: Bitset = newBitset(n),
) {
  for (const v of values) {
    const b = byValue.get(v);
    if (b) orInPlace(out, b);
  }
  return out;
}

/** The bitset of `key`, created empty on first use. */
export function bitsetOf(map: Map<string, Bitset>, key: string, n: number): Bitset {
  let b = map.get(key);
  if (!b) {
    b = newBitset(n);
    map.set(key, b);
  }
  return b;
}

/**
 * Counts per value over `base`. Walks the docs when they are few, otherwise intersects each
 * value's bitset: whichever touches fewer machine words. With `whole` (a superset of `base`
 * and its counts, known in advance) and a `base` covering most of it, counts what `base`
 * lacks instead and subtracts: a search matching nearly everybody costs what a narrow one does.
 */
export function countFacet(
  facet: FacetIndex,
  base: Bitset,
  knownCount: number,
  whole?: { bits: Bitset; size: number; counts: Float64Array; scratch: Bitset },
): Record<string, number> {
  const baseCount = knownCount >= 0 ? knownCount : count(base);
  let counts: Float64Array;
  if (whole && whole.size - baseCount < baseCount) {
    const lacking = whole.scratch;
    for (let i = 0; i < lacking.length; i++) {
      lacking[i] = (whole.bits[i] as number) & ~(base[i] as number);
    }
    counts = whole.counts.slice();
    const off = countsOver(facet, lacking, whole.size - baseCount);
    for (let o = 0; o < counts.length; o++) counts[o] = (counts[o] as number) - (off[o] as number);
  } else {
    counts = countsOver(facet, base, baseCount);
  }
  const pairs: [string, number][] = [];
  facet.values.forEach((v, o) => {
    const c = counts[o] as number;
    if (c > 0) pairs.push([v, c]);
  });
  return countsInOrder(pairs);
}

/** Per value ordinal, how many docs of `base` (`baseCount` of them) hold it. */
export function countsOver(facet: FacetIndex, base: Bitset, baseCount: number): Float64Array {
  const counts = new Float64Array(facet.values.length);
  const avgPerDoc = facet.ords.length / Math.max(1, facet.offsets.length - 1);
  if (baseCount * avgPerDoc * 4 < facet.values.length * base.length) {
    forEachBit(base, (d) => {
      for (let i = facet.offsets[d] as number; i < (facet.offsets[d + 1] as number); i++) {
        const o = facet.ords[i] as number;
        counts[o] = (counts[o] as number) + 1;
      }
    });
  } else if (baseCount > 0) {
    facet.bits.forEach((b, o) => {
      counts[o] = countAnd(base, b);
    });
  }
  return counts;
}

/** Facet counts as answered: most frequent first, then by value. */
export function countsInOrder(pairs: [string, number][]): Record<string, number> {
  pairs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(pairs);
}
