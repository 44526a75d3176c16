// A text field's postings and what the text index derives from them, per term on first use
// (never stored: a serialized index holds only the postings): each term's largest BM25 tf part,
// the bound pruning needs, and for common terms a bitset with a rank directory, so that their
// docs are OR-ed a machine word at a time and a doc's tf is found without a search.
import { type Bitset, newBitset, orInPlace, popcount32, setBit } from "./bitset.js";

/**
 * All postings of a field packed in two arrays, a term's slice found through `starts`: one
 * allocation per field instead of two typed arrays per term.
 *
 * A doc id is held as its low 16 bits, and each term's slice is cut where the high part
 * changes: two bytes a posting instead of four (the postings are the largest part of a loaded
 * index), at the cost of one more `starts` entry per term and 65,536 docs.
 */
export interface PackedPostings {
  slot: Map<string, number>;
  /** How many runs of 65,536 doc ids the field's docs span: segmentsFor(n). */
  segments: number;
  /**
   * Slot `sl`'s docs in segment `s` are at [starts[sl * segments + s], starts[sl * segments +
   * s + 1]), so the slot's whole slice is [starts[sl * segments], starts[(sl + 1) * segments]).
   */
  starts: Int32Array;
  /** Each doc id's low 16 bits, ascending within a term. */
  docs: Uint16Array;
  /** Narrowed (src/lib/narrow.ts): one byte each while no tf passes 255. */
  tfs: Uint8Array | Uint16Array;
}

export const SEGMENT_BITS = 16;

export function segmentsFor(n: number): number {
  return Math.max(1, Math.ceil(n / 2 ** SEGMENT_BITS));
}

/** Where slot `sl`'s postings begin in `docs` and `tfs`. */
export function termFrom(p: PackedPostings, sl: number): number {
  return p.starts[sl * p.segments] as number;
}

/** How many docs slot `sl` holds. */
export function termCount(p: PackedPostings, sl: number): number {
  return (p.starts[(sl + 1) * p.segments] as number) - termFrom(p, sl);
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
    let best = 0;
    eachPosting(p, sl, (d, i) => {
      const tf = p.tfs[i] as number;
      const part = tf / (tf + norm0 + norm1 * (lengths[d] as number));
      if (part > best) best = part;
    });
    this.maxTf[sl] = best;
    return best;
  }

  /** Slot `sl`'s bitset and rank directory when it is a common term, else undefined. */
  dense(sl: number): DenseTerm | undefined {
    const known = this.denseTerms.get(sl);
    if (known !== undefined) return known ?? undefined;
    const { p, n } = this;
    const count = termCount(p, sl);
    let made: DenseTerm | null = null;
    if (count >= n * DENSE_DOCS_PER_N && count > 64) {
      const bits = newBitset(n);
      eachPosting(p, sl, (d) => setBit(bits, d));
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
 * A term is dense when one doc in 24 holds it: its bitset and rank directory (n / 8 + n / 8
 * bytes) then take at most twice its postings (3 bytes a doc), and these are the terms whose
 * postings a query walks longest.
 */
const DENSE_DOCS_PER_N = 1 / 24;

/** bits |= the docs of slot `sl`. */
export function orPostings(bits: Bitset, p: PackedPostings, sl: number, aids?: PostingAids): void {
  const dense = aids?.dense(sl);
  if (dense) {
    orInPlace(bits, dense.bits);
    return;
  }
  eachPosting(p, sl, (d) => setBit(bits, d));
}

/**
 * Calls `visit` for each of slot `sl`'s postings in doc order, with the whole doc id (the
 * segment's high bits put back) and the posting's index into `docs` and `tfs`.
 */
export function eachPosting(
  p: PackedPostings,
  sl: number,
  visit: (d: number, i: number) => void,
): void {
  for (let s = 0, at = sl * p.segments; s < p.segments; s++, at++) {
    const high = s << SEGMENT_BITS;
    const to = p.starts[at + 1] as number;
    for (let i = p.starts[at] as number; i < to; i++) visit(high | (p.docs[i] as number), i);
  }
}

/**
 * Index of doc `d` in the postings of a dense term whose slice begins at `from`, or -1: its rank
 * among the term's docs. Kept apart from sparseAt so that each stays small enough to inline.
 */
export function denseAt(dense: DenseTerm, from: number, d: number): number {
  const w = d >>> 5;
  const word = dense.bits[w] as number;
  const bit = 1 << (d & 31);
  if ((word & bit) === 0) return -1;
  return from + (dense.rank[w] as number) + popcount32(word & (bit - 1));
}

/** Index of doc `d` in slot `sl`'s postings, or -1: a binary search in d's segment. */
export function sparseAt(p: PackedPostings, sl: number, d: number): number {
  const seg = d >>> SEGMENT_BITS;
  if (seg >= p.segments) return -1;
  const low = d & 0xffff;
  const at = sl * p.segments + seg;
  let lo = p.starts[at] as number;
  let hi = p.starts[at + 1] as number;
  const to = hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((p.docs[mid] as number) < low) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && p.docs[lo] === low ? lo : -1;
}
