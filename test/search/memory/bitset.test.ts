// Bitsets over doc numbers (src/search/memory/bitset.ts), each operation checked against a
// plain Set<number> as the model, on random sets and sizes that cross word boundaries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  andInto,
  type Bitset,
  count,
  countAnd,
  forEachBit,
  hasBit,
  newBitset,
  orInPlace,
  popcount32,
  setBit,
  wordsFor,
} from "../../../src/search/memory/bitset.js";

function bitsetOf(n: number, members: Iterable<number>): Bitset {
  const b = newBitset(n);
  for (const i of members) setBit(b, i);
  return b;
}

function members(b: Bitset): number[] {
  const out: number[] = [];
  forEachBit(b, (i) => out.push(i));
  return out;
}

const ascending = (s: Iterable<number>) => [...s].sort((x, y) => x - y);

/** A size n (0..200, so up to 7 words) and two random subsets of 0..n-1. */
const twoSets = fc.integer({ min: 0, max: 200 }).chain((n) => {
  const subset =
    n === 0
      ? fc.constant(new Set<number>())
      : fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }).map((a) => new Set(a));
  return fc.tuple(fc.constant(n), subset, subset);
});

describe("bitset", () => {
  it("sizes to whole 32-bit words", () => {
    expect([0, 1, 31, 32, 33, 64, 65].map(wordsFor)).toEqual([0, 1, 1, 1, 2, 2, 3]);
    expect(newBitset(33)).toEqual(new Uint32Array(2));
  });

  it("sets bits at word edges, including the sign bit of a word", () => {
    const b = bitsetOf(64, [0, 31, 32, 63]);
    expect([...b]).toEqual([0x80000001, 0x80000001]);
    expect([0, 1, 30, 31, 32, 33, 62, 63].map((i) => hasBit(b, i))).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(members(b)).toEqual([0, 31, 32, 63]);
    expect(count(b)).toBe(4);
  });

  it("for any 32-bit value, signed or unsigned, popcount32 equals the number of 1 digits in binary", () => {
    expect([0, 1, 0xff, 0x80000000, 0xffffffff, -1, -(2 ** 31)].map(popcount32)).toEqual([
      0, 1, 8, 1, 32, 32, 1,
    ]);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (x) => {
        const ones = [...(x >>> 0).toString(2)].filter((d) => d === "1").length;
        expect(popcount32(x)).toBe(ones);
      }),
    );
  });

  it("for random sets, hasBit is true exactly for the members and forEachBit visits each once in increasing order", () => {
    fc.assert(
      fc.property(twoSets, ([n, a]) => {
        const b = bitsetOf(n, a);
        for (let i = 0; i < n; i++) expect(hasBit(b, i)).toBe(a.has(i));
        expect(members(b)).toEqual(ascending(a));
      }),
    );
  });

  it("for random sets, count equals the size of the set", () => {
    fc.assert(
      fc.property(twoSets, ([n, a]) => {
        expect(count(bitsetOf(n, a))).toBe(a.size);
      }),
    );
  });

  it("for random pairs of sets, countAnd equals the size of the intersection of the two sets", () => {
    fc.assert(
      fc.property(twoSets, ([n, a, b]) => {
        const both = [...a].filter((i) => b.has(i));
        expect(countAnd(bitsetOf(n, a), bitsetOf(n, b))).toBe(both.length);
      }),
    );
  });

  it("for random pairs of sets, andInto writes the intersection, also when the output is an input", () => {
    fc.assert(
      fc.property(twoSets, ([n, a, b]) => {
        const both = ascending([...a].filter((i) => b.has(i)));
        const x = bitsetOf(n, a);
        const y = bitsetOf(n, b);
        const out = andInto(newBitset(n), x, y);
        expect(members(out)).toEqual(both);
        expect(members(x)).toEqual(ascending(a)); // inputs untouched
        expect(andInto(x, x, y)).toBe(x); // aliased: returns and overwrites x
        expect(members(x)).toEqual(both);
      }),
    );
  });

  it("for random pairs of sets, orInPlace makes the output the union and leaves the other set alone", () => {
    fc.assert(
      fc.property(twoSets, ([n, a, b]) => {
        const x = bitsetOf(n, a);
        const y = bitsetOf(n, b);
        orInPlace(x, y);
        expect(members(x)).toEqual(ascending(new Set([...a, ...b])));
        expect(members(y)).toEqual(ascending(b));
      }),
    );
  });
});
