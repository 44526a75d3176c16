import { describe, expect, it } from "vitest";
import { keep, touch } from "../../src/lib/recent.js";

describe("least-recently-used order on a Map", () => {
  it("touch moves a hit to the most recent end and leaves a miss alone", () => {
    const m = new Map([
      ["a", 1],
      ["b", 2],
    ]);
    expect(touch(m, "a")).toBe(1);
    expect(touch(m, "z")).toBeUndefined();
    expect([...m.keys()]).toEqual(["b", "a"]);
  });

  it("keep evicts the least recently used past the bound, counting reads", () => {
    const m = new Map<string, number>();
    keep(m, "a", 1, 2);
    keep(m, "b", 2, 2);
    touch(m, "a");
    keep(m, "c", 3, 2);
    expect([...m.entries()]).toEqual([
      ["a", 1],
      ["c", 3],
    ]);
    // Keeping a key again replaces its value and makes it the most recent.
    keep(m, "a", 9, 2);
    keep(m, "d", 4, 2);
    expect([...m.entries()]).toEqual([
      ["a", 9],
      ["d", 4],
    ]);
  });
});
