// Inverted index over the analysed text fields with Lucene-style BM25 (no (k1+1) factor, idf
// over the docs that have the field), so that the embedded engine and Elasticsearch score free
// text alike. Field weights, k1 and b come from the directory policy, as the index mapping's do.
import type { DirectoryPolicy } from "../../catalog/schema.js";
import { narrowUint } from "../../lib/narrow.js";
import { TEXT_FIELDS, type TextField } from "../../ranking/directory.js";
import type { QueryToken, QueryWord } from "../../ranking/tokenize.js";
import {
  andInto,
  type Bitset,
  type BitsetPool,
  forEachBit,
  hasBit,
  newBitset,
  orInPlace,
  setBit,
} from "./bitset.js";
import {
  type DenseTerm,
  eachPosting,
  orPostings,
  type PackedPostings,
  PostingAids,
  SEGMENT_BITS,
  segmentsFor,
  termCount,
  termFrom,
} from "./postings.js";
import { TermDictionary } from "./term-dictionary.js";

export type TextPolicy = DirectoryPolicy["text"];

export interface FieldIndex {
  weight: number;
  postings: PackedPostings;
  /** Tokens per doc, capped at 65,535; narrowed like the tfs. */
  lengths: Uint8Array | Uint16Array;
  docCount: number;
  avgLength: number;
}

interface FieldBuilder {
  postings: Map<string, { docs: number[]; tfs: number[] }>;
  lengths: Uint16Array;
  docCount: number;
  total: number;
}

const FIELDS = TEXT_FIELDS;

/** Collects postings one doc at a time, so no doc's tokens outlive its own `add` call. */
export class TextIndexBuilder {
  private readonly fields: FieldBuilder[];

  constructor(
    private readonly n: number,
    private readonly policy: TextPolicy,
  ) {
    this.fields = FIELDS.map(() => ({
      postings: new Map(),
      lengths: new Uint16Array(n),
      docCount: 0,
      total: 0,
    }));
  }

  add(d: number, text: Readonly<Record<TextField, readonly string[]>>): void {
    FIELDS.forEach((field, fi) => {
      const f = this.fields[fi] as FieldBuilder;
      const tokens = text[field];
      if (tokens.length === 0) return;
      f.docCount++;
      f.total += tokens.length;
      f.lengths[d] = Math.min(tokens.length, 65_535);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, c] of tf) {
        let p = f.postings.get(t);
        if (!p) {
          p = { docs: [], tfs: [] };
          f.postings.set(t, p);
        }
        p.docs.push(d);
        p.tfs.push(Math.min(c, 65_535));
      }
    });
  }

  /** `statsOf`: score with that index's collection statistics (a delta over its base). */
  build(statsOf?: TextIndex): TextIndex {
    const fields = FIELDS.map((field, fi) => {
      const f = this.fields[fi] as FieldBuilder;
      let total = 0;
      for (const p of f.postings.values()) total += p.docs.length;
      const segments = segmentsFor(this.n);
      const postings: PackedPostings = {
        slot: new Map(),
        segments,
        starts: new Int32Array(f.postings.size * segments + 1),
        docs: new Uint16Array(total),
        tfs: new Uint16Array(total),
      };
      let at = 0;
      for (const [t, p] of f.postings) {
        const slot = postings.slot.size;
        postings.slot.set(t, slot);
        // p.docs ascend, so each segment's run follows the one before.
        let i = 0;
        for (let seg = 0; seg < segments; seg++) {
          postings.starts[slot * segments + seg] = at + i;
          while (i < p.docs.length && (p.docs[i] as number) >>> SEGMENT_BITS === seg) i++;
        }
        postings.docs.set(p.docs, at); // Uint16Array keeps each id's low 16 bits
        postings.tfs.set(p.tfs, at);
        at += p.docs.length;
      }
      postings.starts[postings.slot.size * segments] = at;
      postings.tfs = narrowUint(postings.tfs);
      f.postings.clear();
      return {
        weight: this.policy.fields[field],
        postings,
        lengths: narrowUint(f.lengths),
        docCount: f.docCount,
        avgLength: f.docCount > 0 ? f.total / f.docCount : 0,
      };
    });
    return new TextIndex(this.n, fields, this.policy, statsOf);
  }
}

export class TextIndex {
  /** Scratch space reused by every query; searches run to completion synchronously. */
  private readonly scores: Float64Array;

  /** Per field: document count, average length and document frequencies used for BM25. */
  private readonly stats: readonly FieldIndex[];

  /** Per field, derived from its postings: pruning bounds and common terms' bitsets. */
  private readonly aids: readonly PostingAids[];

  constructor(
    n: number,
    private readonly fields: FieldIndex[],
    private readonly policy: TextPolicy,
    statsOf?: TextIndex,
  ) {
    // A delta's few docs would make idf and average lengths of their own; borrowing the base's
    // keeps an updated profile scoring as it would after the next full build, near enough
    // (Elasticsearch likewise counts replaced docs in its statistics until segments merge).
    this.stats = statsOf ? statsOf.stats : fields;
    this.scores = new Float64Array(n);
    const { k1, b } = policy.bm25;
    this.aids = fields.map((f, fi) => {
      const st = this.stats[fi] as FieldIndex;
      return new PostingAids(
        f.postings,
        f.lengths,
        n,
        k1 * (1 - b),
        (k1 * b) / (st.avgLength || 1),
      );
    });
  }

  /**
   * The constructor's field inputs, for the binary snapshot (src/search/snapshot/index-codec.ts):
   * it stores these and rebuilds through the constructor, so whatever the constructor derives
   * from them is derived again rather than frozen into the file.
   */
  parts(): readonly FieldIndex[] {
    return this.fields;
  }

  /** Every field's terms, for loose lookups: built on the first one. */
  private dictionary?: TermDictionary;

  private dict(): TermDictionary {
    this.dictionary ??= new TermDictionary(this.fields.map((f) => f.postings.slot.keys()));
    return this.dictionary;
  }

  /** The docs each word matches (ranking/text-match.ts), with what is needed to score them. */
  matchWords(words: readonly QueryWord[], pool?: BitsetPool): WordMatch[] {
    const n = this.scores.length;
    const take = pool ? () => pool.take() : () => newBitset(n);
    return words.map((w) => {
      const bits = take();
      const alternatives = w.alternatives.map((alt) => {
        const tokens = alt.map((t) => this.matchToken(t, take));
        const altBits = pool
          ? pool.copy((tokens[0] as TokenMatch).any)
          : (tokens[0] as TokenMatch).any.slice();
        for (const t of tokens.slice(1)) andInto(altBits, altBits, t.any);
        orInPlace(bits, altBits);
        return { bits: altBits, tokens };
      });
      return { bits, alternatives };
    });
  }

  /**
   * Scores the `matched` docs for the given words and calls `visit` once per doc: per word, per
   * token list the doc satisfies, per token and field, BM25 of the exact term times the field
   * weight, plus the loose-match shares of the weight (Elasticsearch sums the same clauses).
   */
  scoreWords(
    words: readonly WordMatch[],
    matched: Bitset,
    visit: (doc: number, score: number) => void,
  ): void {
    const { scores } = this;
    const mark = newBitset(scores.length);
    const touched: number[] = [];
    const add = (d: number, s: number) => {
      if (hasBit(mark, d)) scores[d] = (scores[d] as number) + s;
      else {
        setBit(mark, d);
        touched.push(d);
        scores[d] = s;
      }
    };
    const loose = this.policy.looseMatch;
    const mask = newBitset(scores.length);
    for (const w of words) {
      for (const alt of w.alternatives) {
        andInto(mask, alt.bits, matched);
        for (const tok of alt.tokens) {
          this.fields.forEach((f, fi) => {
            const sl = tok.exact[fi];
            if (sl !== undefined) {
              const { tfs } = f.postings;
              const { wt, norm0, norm1 } = this.termWeights(fi, sl, tok.term);
              eachPosting(f.postings, sl, (d, i) => {
                if (!hasBit(mask, d)) return;
                const tf = tfs[i] as number;
                add(d, (wt * tf) / (tf + norm0 + norm1 * (f.lengths[d] as number)));
              });
            }
            const p = tok.prefix?.[fi];
            if (p)
              forEachBit(andInto(newBitset(scores.length), p, mask), (d) =>
                add(d, f.weight * loose.prefix),
              );
            const e = tok.oneEdit?.[fi];
            if (e)
              forEachBit(andInto(newBitset(scores.length), e, mask), (d) =>
                add(d, f.weight * loose.oneEdit),
              );
          });
        }
      }
    }
    for (const d of touched) visit(d, scores[d] as number);
  }

  /**
   * One exact term's BM25 constants in field `fi` (slot `sl`), scored with the collection
   * statistics of `stats` (a delta's own postings, its base's counts): the one place both
   * scoreWords and clauses take them from, so the pruned path cannot drift from the reference.
   */
  private termWeights(fi: number, sl: number, term: string) {
    const { k1, b } = this.policy.bm25;
    const f = this.fields[fi] as FieldIndex;
    const st = this.stats[fi] as FieldIndex;
    const count = termCount(f.postings, sl);
    const df = st === f ? count : docFrequency(st, term) || count;
    const idf = Math.log(1 + (st.docCount - df + 0.5) / (df + 0.5));
    return {
      wt: f.weight * idf,
      norm0: k1 * (1 - b),
      norm1: (k1 * b) / (st.avgLength || 1),
    };
  }

  /**
   * The parts of scoreWords' sum as a list, in its order (so a doc's sum adds the same floats
   * in the same order, to the same result): per word, alternative, token and field, the exact
   * term's BM25, then the prefix share, then the one-edit share.
   */
  clauses(words: readonly WordMatch[]): TextClause[] {
    const loose = this.policy.looseMatch;
    const out: TextClause[] = [];
    for (const w of words) {
      for (const alt of w.alternatives) {
        for (const tok of alt.tokens) {
          this.fields.forEach((f, fi) => {
            const sl = tok.exact[fi];
            const exactBits = tok.exactBits[fi];
            const aids = this.aids[fi] as PostingAids;
            if (sl !== undefined && exactBits) {
              const { wt, norm0, norm1 } = this.termWeights(fi, sl, tok.term);
              out.push({
                alt: alt.bits,
                bits: exactBits,
                // idf is negative for a delta's term that more docs hold than its base has
                // docs with the field; such a term only lowers a score.
                bound: Math.max(0, wt * aids.maxTfPart(sl)),
                bm25: {
                  postings: f.postings,
                  sl,
                  from: termFrom(f.postings, sl),
                  dense: aids.dense(sl),
                  wt,
                  norm0,
                  norm1,
                  lengths: f.lengths,
                },
                constant: 0,
              });
            }
            const p = tok.prefix?.[fi];
            if (p) {
              const c = f.weight * loose.prefix;
              out.push({ alt: alt.bits, bits: p, bound: c, constant: c, bm25: undefined });
            }
            const e = tok.oneEdit?.[fi];
            if (e) {
              const c = f.weight * loose.oneEdit;
              out.push({ alt: alt.bits, bits: e, bound: c, constant: c, bm25: undefined });
            }
          });
        }
      }
    }
    return out;
  }

  private matchToken(token: QueryToken, take: () => Bitset): TokenMatch {
    const any = take();
    const exactBits: (Bitset | undefined)[] = [];
    const exact = this.fields.map((f, fi) => {
      const sl = f.postings.slot.get(token.term);
      if (sl === undefined) {
        exactBits.push(undefined);
        return sl;
      }
      const aids = this.aids[fi] as PostingAids;
      // A common term's own bitset serves as is: nothing writes to a token's exact bits.
      const own = aids.dense(sl)?.bits;
      const bits = own ?? take();
      if (!own) orPostings(bits, f.postings, sl);
      orInPlace(any, bits);
      exactBits.push(bits);
      return sl;
    });
    const out: TokenMatch = { term: token.term, exact, exactBits, any };
    if (token.prefix) out.prefix = this.looseBits(this.dict().prefixTerms(token.term), any, take);
    if (token.fuzzy) out.oneEdit = this.looseBits(this.dict().oneEditTerms(token.term), any, take);
    return out;
  }

  /** Per field, the docs holding any of `terms` (also added to `any`). */
  private looseBits(
    terms: readonly string[],
    any: Bitset,
    take: () => Bitset,
  ): (Bitset | undefined)[] {
    return this.fields.map((f, fi) => {
      let bits: Bitset | undefined;
      for (const t of terms) {
        const sl = f.postings.slot.get(t);
        if (sl === undefined) continue;
        bits ??= take();
        orPostings(bits, f.postings, sl, this.aids[fi]);
      }
      if (bits) orInPlace(any, bits);
      return bits;
    });
  }
}

/** The docs of one field's loosely matched terms; `exact` holds the exact term's slots. */
interface TokenMatch {
  term: string;
  /** Per field, the postings slot of the exact term. */
  exact: (number | undefined)[];
  /** Per field, the docs holding the exact term. */
  exactBits: (Bitset | undefined)[];
  prefix?: (Bitset | undefined)[];
  oneEdit?: (Bitset | undefined)[];
  /** Docs where the token matches in any field, any way. */
  any: Bitset;
}

/**
 * One addend of a doc's text score: it counts for docs in both `alt` (the word alternative the
 * doc satisfies) and `bits`; it adds `constant`, or with `bm25` the exact term's BM25 there.
 * `bound` is the most it adds to any doc.
 */
export interface TextClause {
  alt: Bitset;
  bits: Bitset;
  bound: number;
  constant: number;
  bm25:
    | {
        postings: PackedPostings;
        sl: number;
        /** Where the term's postings begin: denseAt's base. */
        from: number;
        dense: DenseTerm | undefined;
        wt: number;
        norm0: number;
        norm1: number;
        lengths: Uint8Array | Uint16Array;
      }
    | undefined;
}

export interface WordMatch {
  /** Docs the word matches. */
  bits: Bitset;
  alternatives: { bits: Bitset; tokens: TokenMatch[] }[];
}

function docFrequency(f: FieldIndex, term: string): number {
  const sl = f.postings.slot.get(term);
  return sl === undefined ? 0 : termCount(f.postings, sl);
}
