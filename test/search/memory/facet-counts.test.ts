// Facet counting against the plain definition: for every doc of the base, each value it holds
// counts once; counts are answered most frequent first, ties by value. Whichever way the counter
// goes (walking the docs, intersecting value bitsets, several fields in one walk, or counting
// what the base lacks and subtracting), the answer is that one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DirectoryDoc } from "../../../src/ranking/directory.js";
import { count, newBitset, setBit } from "../../../src/search/memory/bitset.js";
import {
  countFacets,
  countsInOrder,
  countsOver,
  FacetBuilder,
  type FacetIndex,
} from "../../../src/search/memory/facet-index.js";

const VALUES = ["b", "a", "__proto__", "10", "c", "DE", "de", "z"];

function reference(docs: string[][], inBase: boolean[]): Record<string, number> {
  const m = new Map<string, number>();
  docs.forEach((vs, d) => {
    if (inBase[d]) for (const v of vs) m.set(v, (m.get(v) ?? 0) + 1);
  });
  return countsInOrder([...m]);
}

const field = fc.array(fc.uniqueArray(fc.constantFrom(...VALUES), { maxLength: 4 }), {
  minLength: 1,
  maxLength: 300,
});

describe("facet counts", () => {
  it("equal the plain count in answer order, on every counting path", () => {
    fc.assert(
      fc.property(
        field,
        field,
        fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
        fc.boolean(),
        (a, b, picks, withWhole) => {
          const n = Math.min(a.length, b.length);
          const fields = [a.slice(0, n), b.slice(0, n)];
          const indexes: FacetIndex[] = fields.map((docs) => {
            // FacetBuilder reads one field of a doc's facets; "country" stands in for any.
            const builder = new FacetBuilder("country", n);
            docs.forEach((vs, d) => {
              builder.add(d, { country: vs } as unknown as DirectoryDoc["facets"]);
            });
            return builder.build();
          });
          const base = newBitset(n);
          const inBase = picks.slice(0, n);
          inBase.forEach((p, d) => {
            if (p) setBit(base, d);
          });
          const all = newBitset(n);
          for (let d = 0; d < n; d++) setBit(all, d);
          const whole = withWhole
            ? {
                bits: all,
                size: n,
                counts: indexes.map((ix) => countsOver(ix, all, n)),
                scratch: newBitset(n),
              }
            : undefined;
          const got = countFacets(indexes, base, count(base), whole);
          fields.forEach((docs, i) => {
            const want = reference(docs, inBase);
            expect(got[i]).toEqual(want);
            expect(Object.keys(got[i] ?? {})).toEqual(Object.keys(want));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
