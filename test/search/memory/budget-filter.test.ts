// The budget filter (index-query.ts) clears the docs that fail ranking's withinBudget by
// bisecting an order of minimums: the same docs as asking the rule of every profile, at every
// budget around the stored minimums (ties, none, zero), in the base index and after an update
// moves a minimum in the delta.
import { describe, expect, it } from "vitest";
import { buildDirectoryPlan, withinBudget } from "../../../src/ranking/directory.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, entries, policy, rawProfile } from "../../helpers.js";

const MINIMUMS = [undefined, 0, 500, 2500, 2500, 2500, 10_000, 10_000.5, 75_000, 1e9];

const raws = MINIMUMS.flatMap((min, i) =>
  [0, 1, 2].map((k) =>
    rawProfile({
      id: `p-${i}-${k}`,
      name: `Partner ${i} ${k}`,
      updatedAt: "2026-03-01T00:00:00Z",
      minProjectBudgetUsd: min,
    }),
  ),
);

function idsWithin(b: MemoryBackend, budgetUsd: number): string[] {
  const plan = buildDirectoryPlan(
    { filters: {}, page: 1, pageSize: 50, sort: "name", budgetUsd },
    policy,
  );
  return b
    .directorySync(plan)
    .hits.map((h) => h.profile.id)
    .sort();
}

const expected = (rs: Record<string, unknown>[], budgetUsd: number) =>
  rs
    .filter((r) => withinBudget(r.minProjectBudgetUsd as number | undefined, budgetUsd))
    .map((r) => r.id as string)
    .sort();

const BUDGETS = [0, 1, 499, 500, 2499, 2500, 2501, 10_000, 10_000.5, 74_999, 1e9, 1e12];

describe("the budget filter", () => {
  it("passes the docs the rule passes, at every budget around the minimums", () => {
    const b = new MemoryBackend(catalog, policy);
    b.applySync(entries(raws));
    for (const budget of BUDGETS)
      expect(idsWithin(b, budget), `budget ${budget}`).toEqual(expected(raws, budget));
  });

  it("follows an update that moves a minimum (the delta has its own order)", () => {
    const b = new MemoryBackend(catalog, policy);
    b.applySync(entries(raws));
    idsWithin(b, 2500); // the base's order is built before the update
    const moved = raws.map((r) =>
      r.id === "p-9-0"
        ? { ...r, minProjectBudgetUsd: 100, updatedAt: "2026-04-01T00:00:00Z" }
        : r.id === "p-1-1"
          ? { ...r, minProjectBudgetUsd: 50_000, updatedAt: "2026-04-01T00:00:00Z" }
          : r,
    );
    b.applySync(entries(moved.filter((r) => r.id === "p-9-0" || r.id === "p-1-1")));
    for (const budget of BUDGETS)
      expect(idsWithin(b, budget), `budget ${budget}`).toEqual(expected(moved, budget));
  });
});
