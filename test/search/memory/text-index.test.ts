// The embedded engine's BM25 index (src/search/memory/text-index.ts): scores of tiny corpora
// worked out by hand from the formula the file states (k1 1.2, b 0.75, no (k1+1) factor, idf
// over the docs that have the field, field weight as a factor), and its visiting contract.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TextField } from "../../../src/ranking/directory.js";
import { orInPlace } from "../../../src/search/memory/bitset.js";
import { TextIndexBuilder } from "../../../src/search/memory/text-index.js";
import { scoreDoc } from "../../../src/search/memory/text-top-k.js";

type Text = Partial<Record<TextField, string[]>>;

/** Fixed here, not read from the policy file, so the hand-worked scores stay valid. */
const TEXT = {
  fields: { name: 3, city: 2, services: 1.5, description: 1 },
  bm25: { k1: 1.2, b: 0.75 },
  looseMatch: { prefix: 0.5, oneEdit: 0.5 },
  relaxMaxCombinations: 256,
};

function indexOf(docs: readonly Text[]) {
  const b = new TextIndexBuilder(docs.length, TEXT);
  docs.forEach((t, d) => {
    b.add(d, { name: [], city: [], services: [], description: [], ...t });
  });
  return b.build();
}

/**
 * Every visit as [doc, score], in visiting order: the docs holding any of the terms, scored as
 * the directory scores them (each term a word of one exact token).
 */
function visits(ix: ReturnType<typeof indexOf>, terms: string[]): [number, number][] {
  const words = ix.matchWords(
    terms.map((term) => ({ text: term, alternatives: [[{ term, prefix: false, fuzzy: false }]] })),
  );
  const [first, ...rest] = words;
  if (!first) return [];
  const any = first.bits.slice();
  for (const w of rest) orInPlace(any, w.bits);
  const out: [number, number][] = [];
  ix.scoreWords(words, any, (d, s) => out.push([d, s]));
  return out;
}

function scores(ix: ReturnType<typeof indexOf>, terms: string[]): Map<number, number> {
  return new Map(visits(ix, terms));
}

// Field weights: name 3, city 2, services 1.5, description 1.
const corpus: Text[] = [
  { name: ["acme", "crm"], description: ["crm", "tools"] },
  { name: ["acme", "beta"], description: ["seo", "tools"] },
  { name: ["gamma", "delta"], description: ["crm", "crm"] },
  { name: ["omega", "sigma"], city: ["hamburg"], description: ["web", "tools"] },
];

describe("TextIndex BM25", () => {
  it("scores a tiny corpus as computed by hand", () => {
    const s = scores(indexOf(corpus), ["crm"]);
    // Every doc has 2 name and 2 description tokens, so dl / avgdl = 1 and the norm is
    // tf / (tf + 1.2). N = 4 docs have each field.
    // name: df 1, idf = ln(1 + 3.5 / 1.5) = ln(10/3); doc 0 tf 1: 3 * ln(10/3) / 2.2
    // description: df 2, idf = ln(1 + 2.5 / 2.5) = ln 2; doc 0 tf 1: ln 2 / 2.2;
    //   doc 2 tf 2: ln 2 * 2 / 3.2
    // doc 0 = (3 ln(10/3) + ln 2) / 2.2 = 1.95684799...; doc 2 = 0.43321698...
    expect([...s.keys()].sort()).toEqual([0, 2]);
    expect(s.get(0)).toBeCloseTo(1.9568479970626154, 12);
    expect(s.get(2)).toBeCloseTo(0.43321698784996576, 12);
  });

  it("takes idf over the docs that have the field, not over all docs", () => {
    // Only doc 3 has a city: N = 1, df = 1, idf = ln(1 + 0.5 / 1.5) = ln(4/3), dl = avgdl = 1.
    // city weight 2: 2 * ln(4/3) * 1 / (1 + 1.2) = 0.26152915...
    // (over all 4 docs it would be 2 * ln(10/3) / 2.2 = 1.0945...)
    const s = scores(indexOf(corpus), ["hamburg"]);
    expect([...s.keys()]).toEqual([3]);
    expect(s.get(3)).toBeCloseTo(0.2615291567743462, 12);
  });

  it("normalises by field length: the shorter field scores higher for the same tf", () => {
    // description: N 2, df 2, idf = ln(1 + 0.5 / 2.5) = ln 1.2, avgdl = (1 + 3) / 2 = 2.
    // doc 0 (dl 1): ln 1.2 / (1 + 1.2 * (0.25 + 0.75 * 1/2)) = ln 1.2 / 1.75 = 0.10418374...
    // doc 1 (dl 3): ln 1.2 / (1 + 1.2 * (0.25 + 0.75 * 3/2)) = ln 1.2 / 2.65 = 0.06880058...
    const s = scores(indexOf([{ description: ["crm"] }, { description: ["crm", "seo", "web"] }]), [
      "crm",
    ]);
    expect(s.get(0)).toBeCloseTo(0.10418374673940263, 12);
    expect(s.get(1)).toBeCloseTo(0.06880058746941684, 12);
  });

  it("ranks a term in the name above the same term in the description, by the field weights", () => {
    // Same lengths and document frequencies in both fields: the scores differ only by the
    // field weight, 3 for name against 1 for description.
    const s = scores(
      indexOf([
        { name: ["crm", "x"], description: ["y", "z"] },
        { name: ["x", "y"], description: ["crm", "z"] },
      ]),
      ["crm"],
    );
    const inName = s.get(0) ?? 0;
    const inDescription = s.get(1) ?? 0;
    expect(inName).toBeGreaterThan(inDescription);
    expect(inName / inDescription).toBeCloseTo(3, 12);
  });

  it("matches nothing for an absent term or no terms", () => {
    const ix = indexOf(corpus);
    expect(visits(ix, ["zzz"])).toEqual([]);
    expect(visits(ix, [])).toEqual([]);
    // An absent term adds nothing to a present one.
    expect(scores(ix, ["crm", "zzz"])).toEqual(scores(ix, ["crm"]));
  });

  it("starts every search afresh: a previous search leaves no scores behind", () => {
    const ix = indexOf(corpus);
    const first = visits(ix, ["tools"]);
    visits(ix, ["crm", "acme"]);
    expect(visits(ix, ["tools"])).toEqual(first);
  });
});

/** Random corpora over a small vocabulary, so that terms repeat within and across docs. */
const VOCAB = ["crm", "seo", "web", "acme", "hamburg", "tools"];
const fieldArb = fc.array(fc.constantFrom(...VOCAB), { maxLength: 5 });
const corpusArb = fc.array(
  fc.record({ name: fieldArb, city: fieldArb, services: fieldArb, description: fieldArb }),
  { minLength: 1, maxLength: 12 },
);
const termsArb = fc.uniqueArray(fc.constantFrom(...VOCAB, "absent"), { maxLength: 4 });

describe("TextIndex search properties", () => {
  it("for random corpora and queries, search visits exactly the docs holding a query term in some field, each once, with a positive score", () => {
    fc.assert(
      fc.property(corpusArb, termsArb, (docs, terms) => {
        const seen = visits(indexOf(docs), terms);
        const ids = seen.map(([d]) => d);
        expect(new Set(ids).size).toBe(ids.length);
        const holders = docs.flatMap((t, d) =>
          Object.values(t).some((tokens) => tokens.some((x) => terms.includes(x))) ? [d] : [],
        );
        expect([...ids].sort((a, b) => a - b)).toEqual(holders);
        for (const [, s] of seen) expect(s).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("for random corpora and queries, a doc's score for several terms is the sum of its single-term scores", () => {
    fc.assert(
      fc.property(corpusArb, termsArb, (docs, terms) => {
        const ix = indexOf(docs);
        const whole = scores(ix, terms);
        const sum = new Map<number, number>();
        for (const t of terms) {
          for (const [d, s] of scores(ix, [t])) sum.set(d, (sum.get(d) ?? 0) + s);
        }
        expect([...whole.keys()].sort()).toEqual([...sum.keys()].sort());
        for (const [d, s] of whole) expect(s).toBeCloseTo(sum.get(d) ?? 0, 9);
      }),
      { numRuns: 300 },
    );
  });
});

describe("postings past 65,536 docs (16-bit ids in segments)", () => {
  // Docs on both sides of each segment boundary, and a term held by one doc in ten, which the
  // index turns into a bitset with a rank directory (denseAt; the others go through sparseAt).
  const n = 140_000;
  const edges = [0, 1, 65_535, 65_536, 65_537, 131_071, 131_072, n - 1];
  const ix = (() => {
    const b = new TextIndexBuilder(n, TEXT);
    for (let d = 0; d < n; d++) {
      const name = edges.includes(d) ? ["edge", "x"] : ["x", "y"];
      const description = d % 10 === 3 ? ["common", "z", "z"] : d % 7 === 0 ? ["z"] : [];
      b.add(d, { name, city: [], services: [], description });
    }
    return b.build();
  })();

  it("finds each doc by its full id in every segment", () => {
    expect(visits(ix, ["edge"]).map(([d]) => d)).toEqual(edges);
    const common = visits(ix, ["common"]).map(([d]) => d);
    expect(common).toHaveLength(n / 10);
    expect(common.every((d) => d % 10 === 3)).toBe(true);
    expect(new Set(common).size).toBe(n / 10);
  });

  it("scores a doc alone (the pruned path: denseAt, sparseAt) as the full walk scores it", () => {
    const terms = ["edge", "common", "z"];
    const words = ix.matchWords(
      terms.map((term) => ({
        text: term,
        alternatives: [[{ term, prefix: false, fuzzy: false }]],
      })),
    );
    const clauses = ix.clauses(words);
    const walked = visits(ix, terms);
    expect(walked.length).toBeGreaterThan(n / 10);
    for (const [d, s] of walked) expect(scoreDoc(clauses, d)).toBe(s);
    for (const d of [2, 65_534, 65_538, 131_070, 131_073, n - 2]) {
      if (!walked.some(([x]) => x === d)) expect(scoreDoc(clauses, d)).toBe(0);
    }
  });
});
