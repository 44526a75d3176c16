// Bounded best-k selection (src/search/memory/top-k.ts) against the obvious oracle: sort all
// items by key descending, tie-break ascending, and take the first k.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TopK } from "../../src/lib/top-k.js";

interface Entry {
  item: number;
  key: number;
  tie: number;
}

function topK(k: number, entries: readonly Entry[]) {
  const t = new TopK(k);
  for (const e of entries) t.push(e.item, e.key, e.tie);
  return t.sorted();
}

function fullSortHead(k: number, entries: readonly Entry[]) {
  return [...entries]
    .sort((a, b) => (a.key !== b.key ? (a.key < b.key ? 1 : -1) : a.tie - b.tie))
    .slice(0, k)
    .map(({ item, key }) => ({ item, key }));
}

/**
 * Items 0..n-1 pushed in a random order, with keys from a small range (many equal keys) or any
 * double but NaN (infinities included), and distinct tie-breaks (as doc ranks are), so the
 * expected order is total.
 */
const entriesArb = fc
  .array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true })), { maxLength: 60 })
  .chain((keys) =>
    fc
      .shuffledSubarray(
        keys.map((_, i) => i),
        { minLength: keys.length, maxLength: keys.length },
      )
      .chain((order) =>
        fc
          .uniqueArray(fc.integer({ min: -1000, max: 1000 }), {
            minLength: keys.length,
            maxLength: keys.length,
          })
          .map((ties) =>
            order.map((item) => ({ item, key: keys[item] as number, tie: ties[item] as number })),
          ),
      ),
  );

describe("TopK", () => {
  it("for random inputs and any k, TopK(k).sorted() equals the first k of a full sort by key desc, tie asc", () => {
    fc.assert(
      fc.property(entriesArb, fc.integer({ min: 0, max: 70 }), (entries, k) => {
        expect(topK(k, entries)).toEqual(fullSortHead(k, entries));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps nothing with k = 0", () => {
    expect(
      topK(0, [
        { item: 1, key: 5, tie: 0 },
        { item: 2, key: 9, tie: 1 },
      ]),
    ).toEqual([]);
  });

  it("returns every item, best first, when k exceeds their number", () => {
    const entries = [
      { item: 10, key: 1, tie: 0 },
      { item: 11, key: 3, tie: 1 },
      { item: 12, key: 2, tie: 2 },
    ];
    expect(topK(10, entries)).toEqual([
      { item: 11, key: 3 },
      { item: 12, key: 2 },
      { item: 10, key: 1 },
    ]);
  });

  it("breaks equal keys by the lower tie-break, whatever the push order", () => {
    const entries = [
      { item: 7, key: 1, tie: 30 },
      { item: 8, key: 1, tie: 10 },
      { item: 9, key: 1, tie: 20 },
      { item: 6, key: 1, tie: 40 },
    ];
    expect(topK(2, entries).map((e) => e.item)).toEqual([8, 9]);
    expect(topK(2, [...entries].reverse()).map((e) => e.item)).toEqual([8, 9]);
  });

  it("replaces its worst item once full", () => {
    const entries = [1, 2, 3, 4, 5].map((key, i) => ({ item: i, key, tie: i }));
    expect(topK(3, entries)).toEqual([
      { item: 4, key: 5 },
      { item: 3, key: 4 },
      { item: 2, key: 3 },
    ]);
  });

  it("reports when it is full and the key a newcomer must beat (the finder's pruning bar)", () => {
    const t = new TopK(3);
    expect(t.full()).toBe(false);
    for (const [i, key] of [5, 1, 9].entries()) t.push(i, key, 0);
    expect(t.full()).toBe(true);
    expect(t.worstKey()).toBe(1);
    t.push(3, 1, 0); // equal to the worst: does not enter
    expect(t.worstKey()).toBe(1);
    t.push(4, 7, 0);
    expect(t.worstKey()).toBe(5);
  });
});
