// A text field's postings and what the text index derives from them, per term on first use
// (never stored: a serialized index holds only the postings): each term's largest BM25 tf part,
// the bound pruning needs, and for common terms a bitset with a rank directory, so that their
// docs are OR-ed a machine word at a time and a doc's tf is found without a search.
import { type Bitset, newBitset, orInPlace, popcount32, setBit } from "./bitset.js";

/**
 * All postings of a field packed in two arrays, a term's slice found through `starts`: one
 * allocation per field instead of two typed arrays per term (there are ~10^5 terms at 100k).
 */
export interface PackedPostings {
  slot: Map<string, number>;
  starts: Int32Array;
  docs: Int32Array;
  /** Narrowed (src/lib/narrow.ts): one byte each while no tf passes 255. */
  tfs: Uint8Array | Uint16Array;
}

/** A common term's docs, and per bitset word how many of its docs come before that word. */
export interface DenseTerm {
  bits: Bitset;
  rank: Int32Array;
}

/**
 * Per term, what scoring and OR-ing derive from its postings: its largest BM25 tf part
 * (tf / (tf + norm0 + norm1 * length), the bound pruning needs) and, for a common term, a
 * bitset with a rank directory. Each is worked out the first time a query asks for that term
 * and then kept: a loaded snapshot's first request (which may not search text at all) does not
 * pay for every term of every field, and a query pays only for its own terms, once.
 */
export class PostingAids {
  /** Per slot; NaN until first asked. */
  private readonly maxTf: Float64Array;
  /** Per slot asked so far: its dense form, or null for a term that is not common. */
  private readonly denseTerms = new Map<number, DenseTerm | null>();

  constructor(
    private readonly p: PackedPostings,
    private readonly lengths: Uint8Array | Uint16Array,
    private readonly n: number,
    private readonly norm0: number,
    private readonly norm1: number,
  ) {
    this.maxTf = new Float64Array(Math.max(0, p.starts.length - 1)).fill(Number.NaN);
  }

  /** The largest tf part over slot `sl`'s docs. */
  maxTfPart(sl: number): number {
    const known = this.maxTf[sl] as number;
    if (!Number.isNaN(known)) return known;
    const { p, lengths, norm0, norm1 } = this;
    const to = p.starts[sl + 1] as number;
    let best = 0;
    for (let i = p.starts[sl] as number; i < to; i++) {
      const tf = p.tfs[i] as number;
      const part = tf / (tf + norm0 + norm1 * (lengths[p.docs[i] as number] as number));
      if (part > best) best = part;
    }
    this.maxTf[sl] = best;
    return best;
  }

  /** Slot `sl`'s bitset and rank directory when it is a common term, else undefined. */
  dense(sl: number): DenseTerm | undefined {
    const known = this.denseTerms.get(sl);
    if (known !== undefined) return known ?? undefined;
    const { p, n } = this;
    const from = p.starts[sl] as number;
    const to = p.starts[sl + 1] as number;
    let made: DenseTerm | null = null;
    if (to - from >= n * DENSE_DOCS_PER_N && to - from > 64) {
      const bits = newBitset(n);
      for (let i = from; i < to; i++) setBit(bits, p.docs[i] as number);
      const rank = new Int32Array(bits.length);
      let before = 0;
      for (let w = 0; w < bits.length; w++) {
        rank[w] = before;
        before += popcount32(bits[w] as number);
      }
      made = { bits, rank };
    }
    this.denseTerms.set(sl, made);
    return made ?? undefined;
  }
}

/**
 * A term is dense when its bitset and rank directory (n / 8 + n / 8 bytes) are no larger than
 * its postings (6 bytes a doc): those are the terms whose postings a query walks longest.
 */
const DENSE_DOCS_PER_N = 1 / 24;

/** bits |= the docs of slot `sl`. */
export function orPostings(bits: Bitset, p: PackedPostings, sl: number, aids?: PostingAids): void {
  const dense = aids?.dense(sl);
  if (dense) {
    orInPlace(bits, dense.bits);
    return;
  }
  const to = p.starts[sl + 1] as number;
  for (let i = p.starts[sl] as number; i < to; i++) {
    setBit(bits, p.docs[i] as number);
  }
}

/** Index of doc `d` in slot `sl`'s postings, or -1. */
export function postingOf(
  p: PackedPostings,
  sl: number,
  dense: DenseTerm | undefined,
  d: number,
): number {
  const from = p.starts[sl] as number;
  if (dense) {
    const w = d >>> 5;
    const word = dense.bits[w] as number;
    const bit = 1 << (d & 31);
    if ((word & bit) === 0) return -1;
    return from + (dense.rank[w] as number) + popcount32(word & (bit - 1));
  }
  let lo = from;
  let hi = p.starts[sl + 1] as number;
  const to = hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((p.docs[mid] as number) < d) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && p.docs[lo] === d ? lo : -1;
}
