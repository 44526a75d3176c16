import { describe, expect, it } from "vitest";
import {
  type DirectoryRun,
  medianRun,
  runMeetsTarget,
} from "../../scripts/bench/_directory-load.js";

const run = (reqPerSec: number, p99: number): DirectoryRun => ({
  kind: "distinct",
  reqPerSec,
  p50: 2,
  p99,
  errors: 0,
});

describe("the all-distinct load's figure", () => {
  it("is the middle run by p99, whole (its rate is that run's, not the best of three)", () => {
    const m = medianRun([run(3_000, 12), run(2_400, 8), run(2_600, 9.5)]);
    expect(m).toEqual(run(2_600, 9.5));
    expect(runMeetsTarget(m)).toBe(true);
  });

  it("misses the target when the middle run misses it, whatever the best run did", () => {
    const m = medianRun([run(3_500, 7), run(2_700, 10.5), run(2_600, 14)]);
    expect(m.p99).toBe(10.5);
    expect(runMeetsTarget(m)).toBe(false);
  });

  it("refuses no runs", () => {
    expect(() => medianRun([])).toThrow();
  });
});
