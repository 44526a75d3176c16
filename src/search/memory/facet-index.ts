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
 * value's bitset: whichever touches fewer machine words.
 */
export function countFacet(
  facet: FacetIndex,
  base: Bitset,
  knownCount: number,
): Record<string, number> {
  const baseCount = knownCount >= 0 ? knownCount : count(base);
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
  const pairs: [string, number][] = [];
  facet.values.forEach((v, o) => {
    const c = counts[o] as number;
    if (c > 0) pairs.push([v, c]);
  });
  return countsInOrder(pairs);
}

/** Facet counts as answered: most frequent first, then by value. */
export function countsInOrder(pairs: [string, number][]): Record<string, number> {
  pairs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(pairs);
}
