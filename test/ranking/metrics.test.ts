import { describe, expect, it } from "vitest";
import {
  dcgAt,
  judgedAt,
  mean,
  ndcgAt,
  precisionAt,
  reciprocalRank,
} from "../../src/ranking/metrics.js";

const judged = new Map([
  ["a", 3],
  ["b", 2],
  ["c", 0],
  ["d", 1],
]);

describe("ranking metrics", () => {
  it("dcg uses exponential gain and a log2 discount", () => {
    expect(dcgAt([3, 2], 10)).toBeCloseTo(7 + 3 / Math.log2(3), 12);
    expect(dcgAt([3, 2, 1], 1)).toBe(7);
  });

  it("ndcg is 1 for the ideal order, lower otherwise, NaN without relevant judgments", () => {
    expect(ndcgAt(["a", "b", "d", "c"], judged, 10)).toBeCloseTo(1, 12);
    const worse = ndcgAt(["d", "b", "a"], judged, 10);
    expect(worse).toBeGreaterThan(0);
    expect(worse).toBeLessThan(1);
    // Unjudged ids count as 0.
    expect(ndcgAt(["x", "y"], judged, 10)).toBe(0);
    expect(ndcgAt(["a"], new Map([["a", 0]]), 10)).toBeNaN();
  });

  it("ndcg@k only looks at the first k and an ideal cut at k", () => {
    expect(ndcgAt(["a", "c", "b"], judged, 1)).toBe(1);
    const expected = (7 + 0) / (7 + 3 / Math.log2(3));
    expect(ndcgAt(["a", "c", "b"], judged, 2)).toBeCloseTo(expected, 12);
  });

  it("reciprocal rank and precision count grade 2 and up as relevant", () => {
    expect(reciprocalRank(["c", "d", "b"], judged)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(["c", "d"], judged)).toBe(0);
    expect(precisionAt(["a", "c", "b", "d", "x"], judged, 5)).toBeCloseTo(2 / 5, 12);
    // A short list counts its gaps as misses.
    expect(precisionAt(["a"], judged, 5)).toBeCloseTo(1 / 5, 12);
  });

  it("judged@k and mean skip what they should", () => {
    expect(judgedAt(["a", "x"], judged, 10)).toBe(0.5);
    expect(judgedAt([], judged, 10)).toBe(1);
    expect(mean([1, Number.NaN, 3])).toBe(2);
    expect(mean([Number.NaN])).toBeNaN();
  });
});
