// The embedded engine's facet index: a bitset per value of each filter field plus each doc's
// value ordinals, and the counting and OR-ing over them that filters and facets need.
import { narrowUint } from "../../lib/narrow.js";
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
  /** One byte each while the field has at most 256 values (src/lib/narrow.ts). */
  ords: Uint8Array | Uint16Array;
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
      ords: narrowUint(Uint16Array.from(this.ords)),
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

/** What every facet counts over when nothing narrows it: the listed docs and their counts. */
export interface FacetWhole {
  bits: Bitset;
  size: number;
  /** Per field counted, its counts over `bits`. */
  counts: readonly Float64Array[];
  scratch: Bitset;
}

/**
 * Counts per value of each field over one `base`. Walks the docs when they are few, otherwise
 * intersects each value's bitset: whichever touches fewer machine words; the fields that walk
 * share one walk. With `whole` (a superset of `base` and its counts, known in advance) and a
 * `base` covering most of it, counts what `base` lacks instead and subtracts: a search matching
 * nearly everybody costs what a narrow one does.
 */
export function countFacets(
  facets: readonly FacetIndex[],
  base: Bitset,
  knownCount: number,
  whole?: FacetWhole,
): Record<string, number>[] {
  const baseCount = knownCount >= 0 ? knownCount : count(base);
  let counts: Float64Array[];
  if (whole && whole.size - baseCount < baseCount) {
    const lacking = whole.scratch;
    for (let i = 0; i < lacking.length; i++) {
      lacking[i] = (whole.bits[i] as number) & ~(base[i] as number);
    }
    const off = countsOverAll(facets, lacking, whole.size - baseCount);
    counts = off.map((o, f) => {
      const c = (whole.counts[f] as Float64Array).slice();
      for (let v = 0; v < c.length; v++) c[v] = (c[v] as number) - (o[v] as number);
      return c;
    });
  } else {
    counts = countsOverAll(facets, base, baseCount);
  }
  return facets.map((f, i) => inOrder(f, counts[i] as Float64Array));
}

/** Per value ordinal, how many docs of `base` (`baseCount` of them) hold it. */
export function countsOver(facet: FacetIndex, base: Bitset, baseCount: number): Float64Array {
  return countsOverAll([facet], base, baseCount)[0] as Float64Array;
}

function countsOverAll(
  facets: readonly FacetIndex[],
  base: Bitset,
  baseCount: number,
): Float64Array[] {
  const counts = facets.map((f) => new Float64Array(f.values.length));
  if (baseCount === 0) return counts;
  const walkers: number[] = [];
  facets.forEach((facet, i) => {
    const avgPerDoc = facet.ords.length / Math.max(1, facet.offsets.length - 1);
    if (baseCount * avgPerDoc * 4 < facet.values.length * base.length) {
      walkers.push(i);
    } else {
      const c = counts[i] as Float64Array;
      facet.bits.forEach((b, o) => {
        c[o] = countAnd(base, b);
      });
    }
  });
  if (walkers.length === 0) return counts;
  const ws = walkers.map((i) => facets[i] as FacetIndex);
  const cs = walkers.map((i) => counts[i] as Float64Array);
  forEachBit(base, (d) => {
    for (let w = 0; w < ws.length; w++) {
      const { offsets, ords } = ws[w] as FacetIndex;
      const c = cs[w] as Float64Array;
      for (let k = offsets[d] as number; k < (offsets[d + 1] as number); k++) {
        const o = ords[k] as number;
        c[o] = (c[o] as number) + 1;
      }
    }
  });
  return counts;
}

/** Per field, its value ordinals in name order: ties in count are answered by name. */
const byNames = new WeakMap<FacetIndex, Int32Array>();

function byNameOf(facet: FacetIndex): Int32Array {
  let byName = byNames.get(facet);
  if (!byName) {
    const ords = facet.values.map((_, o) => o);
    ords.sort((a, b) => byValueName(facet.values[a] as string, facet.values[b] as string));
    byName = Int32Array.from(ords);
    byNames.set(facet, byName);
  }
  return byName;
}

/**
 * The non-zero counts as answered (countsInOrder's order). Each value gets one number, higher
 * counts lower and ties by name, so a native numeric sort orders them without comparing strings.
 */
function inOrder(facet: FacetIndex, counts: Float64Array): Record<string, number> {
  const byName = byNameOf(facet);
  const span = byName.length;
  let top = 0;
  let present = 0;
  for (let o = 0; o < counts.length; o++) {
    const c = counts[o] as number;
    if (c > 0) present++;
    if (c > top) top = c;
  }
  const keys = new Float64Array(present);
  let k = 0;
  for (let r = 0; r < span; r++) {
    const c = counts[byName[r] as number] as number;
    if (c > 0) keys[k++] = (top - c) * span + r;
  }
  keys.sort();
  const pairs: [string, number][] = new Array(present);
  for (let i = 0; i < present; i++) {
    const o = byName[(keys[i] as number) % span] as number;
    pairs[i] = [facet.values[o] as string, counts[o] as number];
  }
  // fromEntries, not assignment: a value named __proto__ stays a count.
  return Object.fromEntries(pairs);
}

const byValueName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Facet counts as answered: most frequent first, then by value. */
export function countsInOrder(pairs: [string, number][]): Record<string, number> {
  pairs.sort((a, b) => b[1] - a[1] || byValueName(a[0], b[0]));
  return Object.fromEntries(pairs);
}
