// Inverted index over the analysed text fields with Lucene-style BM25 (no (k1+1) factor, idf
// over the docs that have the field), so that the embedded engine and Elasticsearch score free
// text alike. Field weights, k1 and b come from the directory policy, as the index mapping's do.
import type { DirectoryPolicy } from "../../catalog/schema.js";
import { TEXT_FIELDS, type TextField } from "../../ranking/directory.js";

export type TextPolicy = DirectoryPolicy["text"];

/**
 * All postings of a field packed in two arrays, a term's slice found through `starts`: one
 * allocation per field instead of two typed arrays per term (there are ~10^5 terms at 100k).
 */
interface PackedPostings {
  slot: Map<string, number>;
  starts: Int32Array;
  docs: Int32Array;
  tfs: Uint16Array;
}

interface FieldIndex {
  weight: number;
  postings: PackedPostings;
  lengths: Uint16Array;
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
      const postings: PackedPostings = {
        slot: new Map(),
        starts: new Int32Array(f.postings.size + 1),
        docs: new Int32Array(total),
        tfs: new Uint16Array(total),
      };
      let at = 0;
      for (const [t, p] of f.postings) {
        const slot = postings.slot.size;
        postings.slot.set(t, slot);
        postings.starts[slot] = at;
        postings.docs.set(p.docs, at);
        postings.tfs.set(p.tfs, at);
        at += p.docs.length;
      }
      postings.starts[postings.slot.size] = at;
      f.postings.clear();
      return {
        weight: this.policy.fields[field],
        postings,
        lengths: f.lengths,
        docCount: f.docCount,
        avgLength: f.docCount > 0 ? f.total / f.docCount : 0,
      };
    });
    return new TextIndex(this.n, fields, this.policy.bm25, statsOf);
  }
}

export class TextIndex {
  /** Scratch space reused by every query; searches run to completion synchronously. */
  private readonly scores: Float64Array;
  private readonly touchedMark: Uint8Array;
  private readonly touched: Int32Array;

  /** Per field: document count, average length and document frequencies used for BM25. */
  private readonly stats: readonly FieldIndex[];

  constructor(
    n: number,
    private readonly fields: FieldIndex[],
    private readonly bm25: TextPolicy["bm25"],
    statsOf?: TextIndex,
  ) {
    // A delta's few docs would make idf and average lengths of their own; borrowing the base's
    // keeps an updated profile scoring as it would after the next full build, near enough
    // (Elasticsearch likewise counts replaced docs in its statistics until segments merge).
    this.stats = statsOf ? statsOf.stats : fields;
    this.scores = new Float64Array(n);
    this.touchedMark = new Uint8Array(n);
    this.touched = new Int32Array(n);
  }

  /**
   * Scores every doc containing any term in any field (a sum over fields and terms, each
   * weighted by its field), and calls `visit` once per matching doc with its score. `terms`
   * must be unique (queryTerms makes them so): a repeated term would count twice.
   */
  search(terms: readonly string[], visit: (doc: number, score: number) => void): void {
    let nTouched = 0;
    const { scores, touched, touchedMark } = this;
    const { k1, b } = this.bm25;
    this.fields.forEach((f, fi) => {
      const st = this.stats[fi] as FieldIndex;
      for (const term of terms) {
        const { slot, starts, docs, tfs } = f.postings;
        const sl = slot.get(term);
        if (sl === undefined) continue;
        const from = starts[sl] as number;
        const to = starts[sl + 1] as number;
        const df = st === f ? to - from : docFrequency(st, term) || to - from;
        const idf = Math.log(1 + (st.docCount - df + 0.5) / (df + 0.5));
        const w = f.weight * idf;
        const norm0 = k1 * (1 - b);
        const norm1 = (k1 * b) / (st.avgLength || 1);
        for (let i = from; i < to; i++) {
          const d = docs[i] as number;
          const tf = tfs[i] as number;
          const s = (w * tf) / (tf + norm0 + norm1 * (f.lengths[d] as number));
          if (touchedMark[d] === 0) {
            touchedMark[d] = 1;
            touched[nTouched++] = d;
            scores[d] = s;
          } else {
            scores[d] = (scores[d] as number) + s;
          }
        }
      }
    });
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i] as number;
      visit(d, scores[d] as number);
      touchedMark[d] = 0;
    }
  }
}

function docFrequency(f: FieldIndex, term: string): number {
  const sl = f.postings.slot.get(term);
  return sl === undefined
    ? 0
    : (f.postings.starts[sl + 1] as number) - (f.postings.starts[sl] as number);
}
