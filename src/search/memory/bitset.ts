// Fixed-size bitsets over internal doc numbers: filters are ORs and ANDs of these, and facet
// counts are popcounts of intersections, which keeps a 100k-profile search in a few hundred
// microseconds without allocating per document.
export type Bitset = Uint32Array;

export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

export function newBitset(n: number): Bitset {
  return new Uint32Array(wordsFor(n));
}

export function setBit(b: Bitset, i: number): void {
  b[i >>> 5] = (b[i >>> 5] as number) | (1 << (i & 31));
}

export function hasBit(b: Bitset, i: number): boolean {
  return ((b[i >>> 5] as number) & (1 << (i & 31))) !== 0;
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function count(b: Bitset): number {
  let c = 0;
  for (let i = 0; i < b.length; i++) c += popcount32(b[i] as number);
  return c;
}

export function countAnd(a: Bitset, b: Bitset): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) c += popcount32((a[i] as number) & (b[i] as number));
  return c;
}

/** out = a AND b (out may alias a). */
export function andInto(out: Bitset, a: Bitset, b: Bitset): Bitset {
  for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

/** out |= b */
export function orInPlace(out: Bitset, b: Bitset): void {
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (b[i] as number);
}

/** Calls fn for every set bit, in increasing order. */
export function forEachBit(b: Bitset, fn: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let word = b[w] as number;
    while (word !== 0) {
      const t = word & -word;
      fn((w << 5) + (31 - Math.clz32(t)));
      word ^= t;
    }
  }
}

/** Every bit of [0, n) set. */
export function fullBitset(n: number): Bitset {
  const b = newBitset(n);
  b.fill(0xffffffff);
  const tail = n & 31;
  if (tail !== 0) b[b.length - 1] = (1 << tail) - 1;
  return b;
}

export function clearBit(b: Bitset, i: number): void {
  b[i >>> 5] = (b[i >>> 5] as number) & ~(1 << (i & 31));
}

/**
 * The bitsets of one query's intermediate sets, handed out again to the next query: a 100k
 * text search makes dozens of 12 KB sets, and allocating them anew (outside the JS heap, as
 * external memory) kept starting GCs whose incremental marking of the whole index made the p99.
 * Queries run to completion synchronously, so `reset` at the start of one frees the last one's.
 */
export class BitsetPool {
  private readonly free: Bitset[] = [];
  private readonly used: Bitset[] = [];

  constructor(private readonly n: number) {}

  /** An empty bitset, valid until the next reset. */
  take(): Bitset {
    const b = this.free.pop();
    if (!b) return this.hold(newBitset(this.n));
    b.fill(0);
    return this.hold(b);
  }

  /** A copy of `src`, valid until the next reset. */
  copy(src: Bitset): Bitset {
    const b = this.free.pop() ?? newBitset(this.n);
    b.set(src);
    return this.hold(b);
  }

  reset(): void {
    // A query that needed very many sets keeps no more than this many for the next.
    for (const b of this.used) if (this.free.length < 256) this.free.push(b);
    this.used.length = 0;
  }

  private hold(b: Bitset): Bitset {
    this.used.push(b);
    return b;
  }
}
