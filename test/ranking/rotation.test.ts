import { describe, expect, it } from "vitest";
import { gini } from "../../src/ranking/gini.js";
import { Matcher } from "../../src/ranking/match.js";
import { orderWithRotation, rotationSeed, tieKey, utcDay } from "../../src/ranking/rotation.js";
import { catalog, policy, profiles } from "../helpers.js";
import { DAY, partner, request } from "./match-fixtures.js";

describe("gini", () => {
  it("is 0 for equal exposure and (n-1)/n when one takes everything", () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(0.75, 12);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    expect(gini([])).toBe(0);
    expect(() => gini([1, -1])).toThrow(RangeError);
  });
});

describe("rotation", () => {
  it("seeds by request and UTC day", () => {
    const a = rotationSeed({ x: 1 }, new Date("2026-11-23T00:00:00Z"));
    expect(rotationSeed({ x: 1 }, new Date("2026-11-23T23:59:59.999Z"))).toBe(a);
    expect(rotationSeed({ x: 1 }, new Date("2026-11-24T00:00:00Z"))).not.toBe(a);
    expect(rotationSeed({ x: 2 }, new Date("2026-11-23T00:00:00Z"))).not.toBe(a);
    expect(utcDay(new Date("2026-11-23T23:30:00-05:00"))).toBe("2026-11-24");
  });

  it("rotates only inside a tie group; groups keep their order", () => {
    const items = [
      { id: "a", score: 0.9, tie: 3 },
      { id: "b", score: 0.899, tie: 1 },
      { id: "c", score: 0.8, tie: 0 },
      { id: "d", score: 0.7985, tie: 2 },
      { id: "e", score: 0.7985, tie: 1 },
    ];
    expect(orderWithRotation(items, 0.005).map((x) => x.id)).toEqual(["b", "a", "c", "e", "d"]);
    // Without epsilon only exact ties rotate.
    expect(orderWithRotation(items, 0).map((x) => x.id)).toEqual(["a", "b", "c", "e", "d"]);
  });

  it("orders a group by a key that depends on the seed", () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const firsts = new Set(seeds.map((s) => (tieKey(111, s) < tieKey(222, s) ? 111 : 222)));
    expect(firsts.size).toBe(2);
  });
});

describe("exposure among tied partners", () => {
  const matcher = new Matcher(catalog, policy);
  // Identical partners: every score ties, so only the rotation decides the top 3.
  const tied = profiles(Array.from({ length: 12 }, (_, i) => partner(`t${i}`)));
  const needs = {
    products: ["sales_hub"],
    industry: "manufacturing",
    needs: ["crm_implementation"],
  };

  function appearances(customerId: (i: number) => string | undefined): number[] {
    const seen = new Map(tied.map((p) => [p.id, 0]));
    for (let i = 0; i < 100; i++) {
      const id = customerId(i);
      const o = matcher.rank(tied, request({ ...needs, ...(id ? { id } : {}) }, { limit: 3 }), DAY);
      for (const c of o.candidates) seen.set(c.profile.id, (seen.get(c.profile.id) ?? 0) + 1);
    }
    return [...seen.values()];
  }

  it("over 100 customers with identical needs, the Gini of top-3 appearances is at most 0.2", () => {
    const counts = appearances((i) => `customer-${i}`);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(gini(counts)).toBeLessThanOrEqual(0.2);
  });

  it("the measure would catch a ranking without rotation (same seed for all)", () => {
    expect(gini(appearances(() => undefined))).toBeGreaterThan(0.7);
  });
});
